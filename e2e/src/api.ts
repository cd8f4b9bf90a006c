/**
 * The portal's backend API as the guest user, to read what the pages should
 * show and to prepare the mesh; the journeys themselves act in the browser.
 */
export class PortalApi {
  private token?: string;

  constructor(readonly backendUrl: string) {}

  private async authorization(): Promise<string> {
    if (!this.token) {
      const response = await fetch(
        `${this.backendUrl}/api/auth/guest/refresh`,
        { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
      );
      if (!response.ok) {
        throw new Error(`guest sign-in answered ${response.status}`);
      }
      const body: any = await response.json();
      this.token = body.backstageIdentity.token as string;
    }
    return `Bearer ${this.token}`;
  }

  /** The guest user's Backstage token. */
  async userToken(): Promise<string> {
    return (await this.authorization()).slice('Bearer '.length);
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.backendUrl}${path}`, {
      method,
      headers: {
        authorization: await this.authorization(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON; keep the text for the error message.
    }
    return { status: response.status, body: parsed };
  }

  async get<T = any>(path: string): Promise<T> {
    const { status, body } = await this.request('GET', path);
    if (status >= 400) {
      throw new Error(
        `GET ${path} answered ${status}: ${JSON.stringify(body)}`,
      );
    }
    return body as T;
  }

  /** Catalog entities matching a filter such as `kind=dataproduct,spec.domain=...`. */
  async entities(filter: string, fields?: string[]): Promise<any[]> {
    const items: any[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ limit: '500' });
      if (cursor) query.set('cursor', cursor);
      else {
        for (const part of filter.split('&')) query.append('filter', part);
        if (fields) query.set('fields', fields.join(','));
      }
      const page = await this.get(
        `/api/catalog/entities/by-query?${query.toString()}`,
      );
      items.push(...page.items);
      cursor = page.pageInfo?.nextCursor;
    } while (cursor);
    return items;
  }

  async entity(ref: { kind: string; name: string; namespace?: string }) {
    const { status, body } = await this.request(
      'GET',
      `/api/catalog/entities/by-name/${ref.kind}/${
        ref.namespace ?? 'default'
      }/${ref.name}`,
    );
    return status === 404 ? undefined : body;
  }
}

/** What pages show for an entity: its title, else its name. */
export function displayName(entity: any): string {
  return entity.metadata.title ?? entity.metadata.name;
}
