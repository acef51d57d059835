import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { DialNexaRequest } from 'dialnexa-verify/node';

// Runs only for a verified delivery: webhookMiddleware (see app.module.ts) answers everything else.
@Controller('webhooks')
export class WebhooksController {
  @Post('dialnexa')
  @HttpCode(200)
  receive(@Req() req: DialNexaRequest) {
    const { body, secretIndex } = req.dialnexa!;
    const event = req.dialnexa!.json() as { event: string };
    console.log(`dialnexa webhook ${JSON.stringify(event.event)}: ${body.length} bytes, secret #${secretIndex}`);
    return { received: event.event, bytes: body.length };
  }
}
