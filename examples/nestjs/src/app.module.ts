import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { apiKeyMiddleware, webhookMiddleware } from 'dialnexa-verify/node';
import { AgentsController } from './agents.controller';
import { WebhooksController } from './webhooks.controller';

// The API keys you issued: key ID -> hashApiKeySecret(secret), never the secret. Your database in
// production; here API_KEY_HASHES="keyid:hash,keyid:hash". A revoked key is one lookup() no longer finds.
const apiKeyHashes = new Map((process.env.API_KEY_HASHES ?? '').split(',').filter(Boolean).map((entry) => entry.split(':') as [string, string]));

@Module({ controllers: [WebhooksController, AgentsController] })
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    // main.ts checked that the secret is set. During a rotation, the previous one is accepted too.
    const secret = process.env.DIALNEXA_WEBHOOK_SECRET!;
    const previous = process.env.DIALNEXA_WEBHOOK_SECRET_PREVIOUS;
    // The bytes as received are in req.body (the raw parser in main.ts); 401 with DialNexa's body
    // unless the signature matches, 413 past 5 MiB. The controller runs only for a verified delivery.
    consumer.apply(webhookMiddleware({ secret: previous ? [secret, previous] : secret })).forRoutes(WebhooksController);
    consumer.apply(apiKeyMiddleware({ lookup: (keyId) => apiKeyHashes.get(keyId) })).forRoutes(AgentsController);
  }
}
