/** @type {import('next').NextConfig} */
export default {
  poweredByHeader: false, // no X-Powered-By: Next.js
};
