import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { expectTrue } from './harness';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The demo's pipeline token, read from app-config.yaml as a pipeline's
 * operator would copy it, so the journey proves that config works as written.
 */
export function demoPipelineToken(): string {
  const config = yaml.parse(
    fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
  );
  const token = (config.backend?.auth?.externalAccess ?? []).find(
    (entry: any) => entry.type === 'static',
  )?.options?.token;
  expectTrue(
    typeof token === 'string',
    'app-config.yaml declares a static external access token',
  );
  return token;
}

export async function post(
  backendUrl: string,
  route: string,
  body: unknown,
  authorization?: string,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${backendUrl}/api/data-mesh${route}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Keep the text for the message.
  }
  return { status: response.status, body: parsed };
}
