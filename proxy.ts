import NextAuth from 'next-auth';
import { authConfig } from '@/lib/auth/auth.config';

// The proxy only redirects (signed-out visitors of /dashboard go to /login); every lib function
// still checks who is acting.
const { auth } = NextAuth(authConfig);

export default auth;

export const config = { matcher: ['/dashboard/:path*'] };
