// NestJS 11 (Express platform): DialNexa webhooks verified on their exact bytes, API keys on /v1.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { AppModule } from './app.module';
import { HttpErrorFilter } from './http-error.filter';

async function bootstrap() {
  if (!process.env.DIALNEXA_WEBHOOK_SECRET) {
    console.error('DIALNEXA_WEBHOOK_SECRET is not set: export the webhook secret you registered with DialNexa.');
    process.exit(1);
  }
  // rawBody: Nest's body parsers keep the exact bytes in req.rawBody, which webhookMiddleware verifies.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { rawBody: true, logger: ['error', 'warn'] });
  app.disable('x-powered-by');
  // Webhook bodies go through Nest's JSON parser first: let it take up to 5 MiB (its default is 100 kB).
  app.useBodyParser('json', { limit: '5mb' });
  app.useGlobalFilters(new HttpErrorFilter());
  const server: Server = app.getHttpServer();
  server.headersTimeout = 10_000; // the request line and headers
  server.requestTimeout = 30_000; // the whole request, body included
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  console.log(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}`);
}

bootstrap();
