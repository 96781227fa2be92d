/**
 * CWE of well-known rule ids of other analyzers, for results that carry none.
 *
 * Used only when neither the result nor its rule names a CWE (SARIF `taxa`, rule `relationships`,
 * `external/cwe/cwe-NNN` or `CWE-NNN: …` tags, a `cwe` property; Bandit `issue_cwe`), and to pick
 * one CWE among several a rule lists. Sources:
 *
 * - Bandit B101…B704: the `issue.Cwe.*` each test passes in Bandit ≥ 1.7.3 (bandit/plugins/*.py,
 *   bandit/blacklists/calls.py, bandit/blacklists/imports.py). Older Bandit (Debian 12 ships 1.6.2)
 *   writes no `issue_cwe`, so the same test gets the same CWE from either version. Bandit gives no
 *   CWE to B613 (trojansource), so neither does this table: such results are listed as unmapped.
 * - CodeQL `js/…` and `py/…` queries: the first `external/cwe/cwe-NNN` tag of the query (the one the
 *   query is about when it lists several), as in github/codeql's query metadata.
 * - Semgrep registry rules (`<path>.<rule-id>` ids, matched on the whole id or on the last segment):
 *   the rule's `metadata.cwe`.
 */

/** Bandit test id → CWE (Bandit's own `issue.Cwe` assignment). */
export const BANDIT_CWE: Readonly<Record<string, number>> = {
  B101: 703, // assert_used
  B102: 78, // exec_used
  B103: 732, // set_bad_file_permissions
  B104: 605, // hardcoded_bind_all_interfaces
  B105: 259, // hardcoded_password_string
  B106: 259, // hardcoded_password_funcarg
  B107: 259, // hardcoded_password_default
  B108: 377, // hardcoded_tmp_directory
  B110: 703, // try_except_pass
  B112: 703, // try_except_continue
  B113: 400, // request_without_timeout
  B201: 94, // flask_debug_true
  B202: 22, // tarfile_unsafe_members
  B301: 502, // pickle
  B302: 502, // marshal
  B303: 327, // md5 / sha1
  B304: 327, // insecure ciphers
  B305: 327, // insecure cipher modes
  B306: 377, // mktemp_q
  B307: 78, // eval (Bandit files it under OS command injection)
  B308: 79, // mark_safe
  B310: 22, // urllib_urlopen (Bandit's choice: file:/ schemes)
  B311: 330, // random
  B312: 319, // telnetlib
  B313: 20, // xml_bad_cElementTree
  B314: 20, // xml_bad_ElementTree
  B315: 20, // xml_bad_expatreader
  B316: 20, // xml_bad_expatbuilder
  B317: 20, // xml_bad_sax
  B318: 20, // xml_bad_minidom
  B319: 20, // xml_bad_pulldom
  B320: 20, // xml_bad_etree
  B321: 319, // ftplib
  B323: 295, // unverified_context
  B324: 327, // hashlib insecure functions
  B401: 319, // import_telnetlib
  B402: 319, // import_ftplib
  B403: 502, // import_pickle
  B404: 78, // import_subprocess
  B405: 20, // import_xml_etree
  B406: 20, // import_xml_sax
  B407: 20, // import_xml_expat
  B408: 20, // import_xml_minidom
  B409: 20, // import_xml_pulldom
  B410: 20, // import_lxml
  B411: 20, // import_xmlrpclib
  B412: 284, // import_httpoxy
  B413: 327, // import_pycrypto
  B415: 319, // import_pyghmi
  B501: 295, // request_with_no_cert_validation
  B502: 327, // ssl_with_bad_version
  B503: 327, // ssl_with_bad_defaults
  B504: 327, // ssl_with_no_version
  B505: 326, // weak_cryptographic_key
  B506: 20, // yaml_load
  B507: 295, // ssh_no_host_key_verification
  B508: 319, // snmp_insecure_version
  B509: 319, // snmp_weak_cryptography
  B601: 78, // paramiko_calls
  B602: 78, // subprocess_popen_with_shell_equals_true
  B603: 78, // subprocess_without_shell_equals_true
  B604: 78, // any_other_function_with_shell_equals_true
  B605: 78, // start_process_with_a_shell
  B606: 78, // start_process_with_no_shell
  B607: 78, // start_process_with_partial_path
  B608: 89, // hardcoded_sql_expressions
  B609: 155, // linux_commands_wildcard_injection
  B610: 89, // django_extra_used
  B611: 89, // django_rawsql_used
  B612: 94, // logging_config_insecure_listen
  B614: 502, // pytorch_load
  B615: 494, // huggingface_unsafe_download
  B701: 94, // jinja2_autoescape_false
  B702: 80, // use_of_mako_templates
  B703: 80, // django_mark_safe
  B704: 79, // markupsafe_markup_xss
};

/** CodeQL query id → CWE. */
export const CODEQL_CWE: Readonly<Record<string, number>> = {
  // JavaScript / TypeScript
  'js/command-line-injection': 78,
  'js/second-order-command-line-injection': 88,
  'js/shell-command-injection-from-environment': 78,
  'js/shell-command-constructed-from-input': 78,
  'js/unsafe-shell-command-construction': 78,
  'js/indirect-command-line-injection': 78,
  'js/path-injection': 22,
  'js/zipslip': 22,
  'js/sql-injection': 89,
  'js/code-injection': 94,
  'js/unsafe-code-construction': 94,
  'js/unsafe-dynamic-method-access': 94,
  'js/request-forgery': 918,
  'js/client-side-request-forgery': 918,
  'js/xss': 79,
  'js/reflected-xss': 79,
  'js/stored-xss': 79,
  'js/xss-through-dom': 79,
  'js/xss-through-exception': 79,
  'js/html-constructed-from-input': 79,
  'js/prototype-pollution': 1321,
  'js/prototype-pollution-utility': 1321,
  'js/prototype-polluting-assignment': 1321,
  'js/hardcoded-credentials': 798,
  'js/insecure-randomness': 338,
  'js/weak-cryptographic-algorithm': 327,
  'js/biased-cryptographic-random': 327,
  'js/insufficient-password-hash': 916,
  'js/regex-injection': 730,
  'js/redos': 1333,
  'js/polynomial-redos': 1333,
  'js/xxe': 611,
  'js/xml-bomb': 776,
  'js/unsafe-deserialization': 502,
  'js/tainted-format-string': 134,
  'js/log-injection': 117,
  'js/server-side-unvalidated-url-redirection': 601,
  'js/client-side-unvalidated-url-redirection': 601,
  'js/file-access-to-http': 200,
  'js/clear-text-logging': 312,
  'js/clear-text-storage-of-sensitive-data': 312,
  'js/stack-trace-exposure': 209,
  'js/missing-rate-limiting': 770,
  'js/resource-exhaustion': 770,
  'js/loop-bound-injection': 834,
  'js/type-confusion-through-parameter-tampering': 843,
  'js/remote-property-injection': 250,
  'js/template-object-injection': 73,
  'js/xpath-injection': 643,
  'js/disabling-certificate-validation': 295,
  'js/missing-token-validation': 352,
  'js/cors-misconfiguration-for-credentials': 346,
  'js/incomplete-sanitization': 116,
  'js/incomplete-multi-character-sanitization': 116,
  'js/incomplete-url-substring-sanitization': 20,
  'js/incomplete-url-scheme-check': 20,
  'js/bad-tag-filter': 116,
  'js/insecure-temporary-file': 377,
  'js/build-artifact-leak': 312,
  'js/insecure-download': 829,
  'js/functionality-from-untrusted-source': 830,
  'js/host-header-forgery-in-email-generation': 640,
  'js/exposure-of-private-files': 200,
  'js/file-system-race': 367,
  'js/unvalidated-dynamic-method-call': 754,
  'js/jwt-missing-verification': 347,
  'js/hardcoded-data-interpreted-as-code': 506,
  'js/user-controlled-bypass': 807,
  'js/insecure-helmet-configuration': 693,
  'js/missing-origin-check': 20,
  // Python
  'py/command-line-injection': 78,
  'py/shell-command-constructed-from-input': 78,
  'py/path-injection': 22,
  'py/tarslip': 22,
  'py/zipslip': 22,
  'py/sql-injection': 89,
  'py/code-injection': 94,
  'py/full-ssrf': 918,
  'py/partial-ssrf': 918,
  'py/reflective-xss': 79,
  'py/jinja2/autoescape-false': 79,
  'py/unsafe-deserialization': 502,
  'py/xxe': 611,
  'py/xml-bomb': 776,
  'py/ldap-injection': 90,
  'py/xpath-injection': 643,
  'py/nosql-injection': 943,
  'py/template-injection': 1336,
  'py/url-redirection': 601,
  'py/stack-trace-exposure': 209,
  'py/clear-text-logging-sensitive-data': 312,
  'py/clear-text-storage-sensitive-data': 312,
  'py/weak-cryptographic-algorithm': 327,
  'py/weak-sensitive-data-hashing': 327,
  'py/insecure-protocol': 327,
  'py/weak-crypto-key': 326,
  'py/request-without-cert-validation': 295,
  'py/paramiko-missing-host-key-validation': 295,
  'py/flask-debug': 215,
  'py/bind-socket-all-network-interfaces': 200,
  'py/hardcoded-credentials': 798,
  'py/insecure-temporary-file': 377,
  'py/polynomial-redos': 1333,
  'py/redos': 1333,
  'py/regex-injection': 730,
  'py/log-injection': 117,
  'py/pam-auth-bypass': 285,
  'py/overly-large-range': 20,
  'py/incomplete-url-substring-sanitization': 20,
  'py/bad-tag-filter': 116,
  'py/cookie-injection': 20,
  'py/insecure-cookie': 614,
  'py/csrf-protection-disabled': 352,
  'py/http-response-splitting': 113,
  'py/header-injection': 113,
  'py/xslt-injection': 643,
};

/** Semgrep registry rule (last id segment) → CWE. */
export const SEMGREP_CWE: Readonly<Record<string, number>> = {
  // JavaScript / TypeScript
  'detect-child-process': 78,
  'spawn-shell-true': 78,
  'dangerous-spawn-shell': 78,
  'spawn-git-clone': 78,
  'detect-eval-with-expression': 95,
  'code-string-concat': 95,
  'eval-detected': 95,
  'vm-injection': 94,
  'vm-runincontext-code-injection': 94,
  'vm-runinnewcontext-code-injection': 94,
  'vm-runinthiscontext-code-injection': 94,
  'vm-script-code-injection': 94,
  'vm-compilefunction-code-injection': 94,
  'detect-non-literal-fs-filename': 22,
  'path-join-resolve-traversal': 22,
  'detect-non-literal-require': 95,
  'detect-non-literal-regexp': 1333,
  'detect-redos': 1333,
  'non-constant-sql-query': 89,
  'node-postgres-sqli': 89,
  'node-mysql-sqli': 89,
  'node-mssql-sqli': 89,
  'node-knex-sqli': 89,
  'tainted-sql-string': 89,
  'sequelize-injection-express': 89,
  'express-nosql-injection': 943,
  'prototype-pollution-loop': 915,
  'prototype-pollution-assignment': 915,
  'prototype-pollution-function': 915,
  'insecure-object-assign': 601, // sic: the rule's metadata says CWE-601
  'unsafe-formatstring': 134,
  'open-redirect': 601,
  'express-open-redirect': 601,
  'express-ssrf': 918,
  'detect-pseudoRandomBytes': 338,
  'hardcoded-hmac-key': 798,
  'md5-used-as-password': 327,
  // Python
  'subprocess-shell-true': 78,
  'dangerous-subprocess-use': 78,
  'dangerous-subprocess-use-audit': 78,
  'dangerous-subprocess-use-tainted-env-args': 78,
  'dangerous-system-call': 78,
  'dangerous-system-call-audit': 78,
  'dangerous-os-exec': 78,
  'dangerous-spawn-process': 78,
  'dangerous-asyncio-shell': 78,
  'dangerous-asyncio-exec': 78,
  'exec-detected': 95,
  'avoid-pickle': 502,
  'avoid-cPickle': 502,
  'avoid-dill': 502,
  'avoid-shelve': 502,
  'avoid-pyyaml-load': 502,
  'formatted-sql-query': 89,
  'sqlalchemy-execute-raw-query': 89,
  'sqlalchemy-sql-injection': 89,
  'disabled-cert-validation': 295,
  'request-with-http': 319,
  'ssrf-requests': 918,
  'tainted-url-host': 918,
  'path-traversal-open': 22,
  'tainted-path-traversal-stdlib': 22,
  'insecure-hash-algorithm-md5': 327,
  'insecure-hash-algorithm-sha1': 327,
  // Any language
  'detected-generic-secret': 798,
  'detected-private-key': 798,
  'detected-aws-access-key-id-value': 798,
  'detected-github-token': 798,
  'detected-generic-api-key': 798,
};

function own(table: Readonly<Record<string, number>>, key: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/**
 * The CWE this table gives a rule id, or undefined. `tool` (the analyzer's name, any case) narrows the
 * look-up: Bandit test ids, CodeQL query ids, Semgrep rule ids (whole id or its last dotted segment).
 */
export function tableCwe(ruleId: string, tool = ''): number | undefined {
  const t = tool.toLowerCase();
  const id = ruleId.trim();
  if (/^B\d{3}$/.test(id) && (t === '' || t.includes('bandit'))) return own(BANDIT_CWE, id);
  if (/^(js|py)\//.test(id)) return own(CODEQL_CWE, id);
  if (t === '' || t.includes('semgrep') || id.includes('.')) {
    const whole = own(SEMGREP_CWE, id);
    if (whole !== undefined) return whole;
    const last = id.split('.').pop() ?? id;
    return own(SEMGREP_CWE, last);
  }
  return undefined;
}
