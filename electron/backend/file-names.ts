/**
 * A piece of outside text (a search, a request id from the marketplace) fit to be part of a file
 * name the seller saves: lowercase letters, digits and single dashes, at most `maxLength`
 * characters. No separator, dot, control or bidi character survives, so the name can neither
 * point into another folder nor read differently from what it is. Empty when nothing is left.
 */
export function fileNamePart(text: string, maxLength = 40): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-/, '')
    .slice(0, maxLength)
    .replace(/-$/, '');
}
