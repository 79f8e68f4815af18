import type { RequestView } from './status';

/** The API's body for a request (API.md): UTC times, no patient data. */
export function requestToJson(view: RequestView) {
  return {
    id: view.id,
    status: view.status,
    startsAt: view.startsAt.toISOString(),
    endsAt: view.endsAt.toISOString(),
    expiresAt: view.expiresAt.toISOString(),
    service: { id: view.service.id, name: view.service.name },
    profile: { slug: view.profile.slug, name: view.profile.name },
  };
}
