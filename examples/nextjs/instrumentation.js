// Runs once when `next start` starts, before it serves anything: a missing secret stops the
// server here instead of failing the first delivery.
export function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs' && !process.env.DIALNEXA_WEBHOOK_SECRET) {
    console.error('DIALNEXA_WEBHOOK_SECRET is not set: set it to the webhook secret registered with DialNexa.');
    process.exit(1);
  }
}
