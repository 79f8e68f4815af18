import { guardAuthHandler } from '@/lib/auth/route';
import { handlers } from '@/lib/auth/auth';

export const GET = guardAuthHandler('auth.get', handlers.GET);
export const POST = guardAuthHandler('auth.post', handlers.POST);
