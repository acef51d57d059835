// The CommonJS view of the types (`require` resolves index.d.cts).
import dialnexa = require('dialnexa-verify');

const valid: boolean = dialnexa.verifyWebhook('{}', null, 'secret');
const error: typeof dialnexa.ApiKeyError = dialnexa.ApiKeyError;
void [valid, error];
