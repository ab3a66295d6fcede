// Satori element trees written without React or JSX.

/** A satori element: what JSX would produce, written without React. */
export interface Node {
  type: string;
  props: { style?: Record<string, unknown>; children?: Child | Child[]; [name: string]: unknown };
}
export type Child = Node | string | null | undefined | false;

/** Builds an element (a JSX-free `h`). */
export function h(type: string, style: Record<string, unknown>, ...children: Child[]): Node {
  const kids = children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false);
  return { type, props: { style, children: kids.length === 1 ? kids[0] : kids } };
}
