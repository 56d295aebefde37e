import type { HttpResponse } from './http-call';
import { parseJsonBody } from './http-call';

/**
 * Is this answer recognisably the provider's API? CSP and NIOSXaaS answer JSON
 * (`application/json`, or a `+json` type) whose body is a JSON object; a 204 has no body. An HTML
 * page, a plain-text body or JSON under another content type comes from something in between (a
 * proxy, a load balancer, a captive portal, a wrong path) and proves nothing about our accounts.
 */
export function isProviderAnswer(response: HttpResponse): boolean {
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  const json = /^application\/([\w.-]+\+)?json\b/.test(type.trim());
  if (response.status === 204 || response.status === 205) {
    return response.body.trim() === '' && (type === '' || json);
  }
  if (!json) return false;
  const body = parseJsonBody(response.body);
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/**
 * A 404 that the provider itself sent about the resource (a JSON problem/error body), as opposed
 * to a proxy's or a wrong path's 404 page. Only this one means "already gone".
 */
export function isProviderNotFound(response: HttpResponse): boolean {
  if (response.status !== 404 || !isProviderAnswer(response)) return false;
  const body = parseJsonBody(response.body) as Record<string, unknown>;
  return ['error', 'errors', 'message', 'code', 'detail', 'title'].some((key) => key in body);
}
