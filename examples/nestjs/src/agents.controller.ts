import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import type { DialNexaRequest } from 'dialnexa-verify/node';

// Runs only for a valid API key: apiKeyMiddleware (see app.module.ts) answers everything else.
@Controller('v1/agents')
export class AgentsController {
  @Get()
  list(@Req() req: DialNexaRequest) {
    return { keyId: req.apiKey!.keyId, agents: [] };
  }

  @Post()
  create(@Body() body: { name?: unknown } | undefined) {
    return { created: body?.name ?? null };
  }
}
