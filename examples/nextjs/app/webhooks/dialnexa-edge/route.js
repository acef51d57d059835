// POST /webhooks/dialnexa-edge on the Edge runtime (deprecated by Next.js 16, still supported):
// dialnexa-verify's `edge-light` entry imports its .wasm as `?module`, compiled by Next's bundler.
import { receiveWebhook } from '../../../lib/dialnexa.js';

export const runtime = 'edge';
export const POST = receiveWebhook;
