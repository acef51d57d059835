// NestJS 11 (Express platform): DialNexa webhooks verified on their exact bytes, API keys on /v1.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { raw } from 'express';
import type { Server } from 'node:http';
import { AppModule } from './app.module';
import { HttpErrorFilter } from './http-error.filter';

async function bootstrap() {
  if (!process.env.DIALNEXA_WEBHOOK_SECRET) {
    console.error('DIALNEXA_WEBHOOK_SECRET is not set: export the webhook secret you registered with DialNexa.');
    process.exit(1);
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: ['error', 'warn'] });
  app.disable('x-powered-by');
  // The webhook route's body, whatever its content type, as the exact bytes that came over the
  // wire (in req.body, which webhookMiddleware verifies): at most 5 MiB, the package default (413
  // past it), and never inflated: a compressed body gets 415 before a byte of it is read. Every
  // other route keeps Nest's own JSON and form parsers (100 kB). Registered here, it runs before them.
  app.use('/webhooks/dialnexa', raw({ type: () => true, limit: '5mb', inflate: false }));
  app.useGlobalFilters(new HttpErrorFilter());
  const server: Server = app.getHttpServer();
  server.headersTimeout = 10_000; // the request line and headers
  server.requestTimeout = 30_000; // the whole request, body included
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  console.log(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}`);
}

bootstrap();
