/** Shared constants of the ecosystem tests. */

/** The fake credentials in test/fixtures/ecosystem/hosts: never printed whole. */
export const FIXTURE_SECRETS = ['ghp_R8mQ2vX9tLk4pZ7wYc1nB6sJ3hD0fGa5eUiO', '9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e', 'S3cr3tPassw0rd!x', 'xoxb-4815162342-1088-abcdefghijklmnop', 'sk_live_51HxZq2KjT8vWmN4pR6sY0uB', 'BSAk3jd8Qm2Lx9Vt7Wr4Yp6Zn1Cb5Hf0'];
