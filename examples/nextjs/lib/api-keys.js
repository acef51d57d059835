// The API keys' store. A stand-in for your database: a JSON file named by API_KEYS_FILE,
//   { "<keyId>": { "secretHash": "<hashApiKeySecret(secret)>", "revoked": false } }
// read on every lookup, so that a revoked key is refused from the very next request.
import { readFile } from 'node:fs/promises';

/** The stored secret hash of an active key, or null for an unknown or revoked one. */
export async function lookupApiKey(keyId) {
  const records = JSON.parse(await readFile(process.env.API_KEYS_FILE, 'utf8'));
  const record = Object.hasOwn(records, keyId) ? records[keyId] : undefined;
  return record && !record.revoked ? record.secretHash : null;
}
