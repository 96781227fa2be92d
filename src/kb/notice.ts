/**
 * MITRE's copyright designations and licences, reproduced in data/kb/NOTICE beside the generated KB
 * (both licences require that any copy reproduce MITRE's copyright designation and the licence).
 *
 * CAPEC: the licence text is reproduced verbatim from MITRE's CAPEC LICENSE (../shared/data/mitre/LICENSE-CAPEC.txt).
 * CWE: neither the CWE XML nor the cwe-sdk package carries a notice (checked: cwe-archive.xml has no copyright or
 * terms text; cwe-sdk's LICENSE is the package's Apache-2.0 licence), so the CWE Terms of Use are reproduced from
 * https://cwe.mitre.org/about/termsofuse.html, with the copyright line printed on every CWE web page.
 */

export const CAPEC_LICENSE = `CAPEC™
===========================
License
-------
The MITRE Corporation (MITRE) hereby grants you a non-exclusive, royalty-free license to use Common Attack Pattern
Enumeration and Classification (CAPEC™) for research, development, and commercial purposes. Any copy you make for
such purposes is authorized provided that you reproduce MITRE’s copyright designation and this license in any such copy.

Disclaimers
-----------
ALL DOCUMENTS AND THE INFORMATION CONTAINED THEREIN ARE PROVIDED ON AN "AS IS" BASIS AND THE CONTRIBUTOR, THE
ORGANIZATION HE/SHE REPRESENTS OR IS SPONSORED BY (IF ANY), THE MITRE CORPORATION, ITS BOARD OF TRUSTEES, OFFICERS,
AGENTS, AND EMPLOYEES, DISCLAIM ALL WARRANTIES, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO ANY WARRANTY THAT THE
USE OF THE INFORMATION THEREIN WILL NOT INFRINGE ANY RIGHTS OR ANY IMPLIED WARRANTIES OF MERCHANTABILITY OR FITNESS
FOR A PARTICULAR PURPOSE.
`;

export const CWE_TERMS_OF_USE = `CWE™ Terms of Use (https://cwe.mitre.org/about/termsofuse.html)
===========================

CWE™ is free to use by any organization or individual for any research, development, and/or commercial purposes,
per these CWE Terms of Use. Accordingly, The MITRE Corporation hereby grants you a non-exclusive, royalty-free
license to use CWE for research, development, and commercial purposes. Any copy you make for such purposes is
authorized on the condition that you reproduce MITRE’s copyright designation and this license in any such copy.
CWE is a trademark of The MITRE Corporation. Please contact cwe@mitre.org if you require further clarification
on this issue.

DISCLAIMERS

By accessing information through this site you (as “the user”) hereby agrees the site and the information is
provided on an “as is” basis only without warranty of any kind, express or implied, including but not limited to
implied warranties of merchantability, availability, accuracy, noninfringement, or fitness for a particular
purpose. Use of this site and the information is at the user’s own risk. The user shall comply with all applicable
laws, rules, and regulations, and the data source’s restrictions, when using the site.

By contributing information to this site you (as “the contributor”) hereby represents and warrants the contributor
has obtained all necessary permissions from copyright holders and other third parties to allow the contributor to
contribute, and this site to host and display, the information and any such contribution, hosting, and displaying
will not violate any law, rule, or regulation. Additionally, the contributor hereby grants all users of such
information a perpetual, worldwide, non-exclusive, no-charge, royalty-free, irrevocable license to reproduce,
prepare derivative works of, publicly display, publicly perform, sublicense, and distribute such information and
all derivative works.

The MITRE Corporation expressly disclaims any liability for any damages arising from the contributor’s
contribution of such information, the user’s use of the site or such information, and The MITRE Corporation’s
hosting the tool and displaying the information. The foregoing disclaimer specifically includes but is not limited
to general, consequential, indirect, incidental, exemplary, or special or punitive damages (including but not
limited to loss of income, program interruption, loss of information, or other pecuniary loss) arising out of use
of this information, no matter the cause of action, even if The MITRE Corporation has been advised of the
possibility of such damages.
`;

function year(date: string | undefined, fallback: string): string {
  const m = /^(\d{4})/.exec(date ?? '');
  return m ? (m[1] as string) : fallback;
}

export interface NoticeInput {
  cweVersion: string;
  cweDate?: string;
  capecVersion: string;
  capecDate?: string;
}

/** One-line notice stored inside kb.json. */
export function shortNotice(n: NoticeInput): string {
  return (
    `Contains content from CWE™ ${n.cweVersion} (Copyright © 2006–${year(n.cweDate, '2024')}) and CAPEC™ ${n.capecVersion} ` +
    `(Copyright © 2007–${year(n.capecDate, '2023')}), The MITRE Corporation, reproduced under MITRE's terms of use; see data/kb/NOTICE.`
  );
}

/** The full NOTICE file written beside kb.json. */
export function noticeFile(n: NoticeInput): string {
  return [
    'mcp-risk knowledge base (data/kb/kb.json)',
    '=========================================',
    '',
    `data/kb/kb.json is generated by \`mcp-risk kb build\` from MITRE's CWE™ ${n.cweVersion} catalog and CAPEC™ ${n.capecVersion}.`,
    'It reproduces, in a shortened and restructured form, content of both (names, abstraction, likelihoods, severities,',
    'modes of introduction, consequences, relationships, prerequisites, skills, mitigations, short descriptions).',
    'data/kb/overlay.json holds a few hand-kept additions, each marked "overlay": true: CWE entries newer than the',
    'catalog, transcribed from MITRE\'s CWE web pages, and CWE → CAPEC links chosen by hand where MITRE gives none.',
    '',
    `CWE: Copyright © 2006–${year(n.cweDate, '2024')}, The MITRE Corporation. CWE, CWSS, CWRAF, and the CWE logo are trademarks of The MITRE Corporation.`,
    '',
    CWE_TERMS_OF_USE,
    '',
    `CAPEC: Copyright © 2007–${year(n.capecDate, '2023')}, The MITRE Corporation. CAPEC and the CAPEC logo are trademarks of The MITRE Corporation.`,
    '',
    CAPEC_LICENSE,
  ].join('\n');
}
