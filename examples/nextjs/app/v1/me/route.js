// GET /v1/me with `Authorization: Bearer keyid:secret`: 401 with DialNexa's body for a missing,
// malformed, unknown, revoked or wrong key; the key ID otherwise.
import { withApiKey } from 'dialnexa-verify';
import { lookupApiKey } from '../../../lib/api-keys.js';
import { guarded } from '../../../lib/dialnexa.js';

export const GET = guarded(withApiKey((request, { keyId }) => Response.json({ keyId }), { lookup: lookupApiKey }));
