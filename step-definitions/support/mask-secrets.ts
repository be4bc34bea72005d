import { registeredSecrets } from './secret-scan';

/** Replaces every registered secret and any password inside a connection URL with `***`. */
export function maskSecrets(text: string): string {
  let masked = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]+:)[^@\s/]+@/gi, '$1***@');
  for (const { value } of registeredSecrets()) masked = masked.split(value).join('***');
  return masked;
}
