import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

// Every error gets a fixed JSON body, Express's own included (a body over the limit, a compressed
// webhook body or a bad content-encoding, malformed JSON: they carry a 4xx `status`); the details
// go to the log only.
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost) {
    const req = host.switchToHttp().getRequest<IncomingMessage>();
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const code = error instanceof HttpException ? error.getStatus() : (error as { status?: unknown } | null)?.status;
    const status = typeof code === 'number' && code >= 400 && code < 500 ? code : 500;
    if (status === 500) console.error(error);
    else console.warn(`${req.method} ${req.url?.split('?', 1)[0]}: ${status} (${(error as Error)?.name})`);
    if (res.headersSent) return void res.destroy();
    const body = JSON.stringify({ statusCode: status, message: STATUS_CODES[status], error: STATUS_CODES[status] });
    // Refused before its body arrived (a compressed webhook body: 415): the connection is closed
    // once the answer is out, rather than the rest of the body read and thrown away.
    const close = req.complete ? {} : { connection: 'close' };
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...close }).end(body);
  }
}
