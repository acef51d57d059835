// POST /webhooks/dialnexa on the Node.js runtime (the default).
import { receiveWebhook } from '../../../lib/dialnexa.js';

export const POST = receiveWebhook;
