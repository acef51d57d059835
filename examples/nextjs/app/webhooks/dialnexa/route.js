// POST /webhooks/dialnexa on the Node.js runtime (the default).
import { webhookRoute } from '../../../lib/dialnexa.js';

export const POST = webhookRoute();
