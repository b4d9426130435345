/**
 * Which image repository an image reference belongs to, with Docker's defaults for short names
 * (`nginx` is `docker.io/library/nginx`), so `docker.io/someone/else:latest` never passes for
 * `registry.example.com/shop`. https://docs.docker.com/reference/cli/docker/image/tag/
 */
export function imageRepository(reference: string): string {
  let ref = reference.trim();
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) ref = ref.slice(0, colon);
  const parts = ref.split('/');
  const first = parts[0] ?? '';
  const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) parts.unshift('docker.io');
  if (parts[0] === 'index.docker.io') parts[0] = 'docker.io';
  if (parts[0] === 'docker.io' && parts.length === 2) parts.splice(1, 0, 'library');
  return parts.join('/').toLowerCase();
}

/** The image is in one of the repositories (the app's `image`, plus its `imageRepositories`). */
export function imageAllowed(image: string, repositories: readonly string[]): boolean {
  const repo = imageRepository(image);
  return repositories.some((r) => imageRepository(r) === repo);
}
