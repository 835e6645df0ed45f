/**
 * Arrays the parser shares instead of allocating: most words have no substitution and most commands no redirect,
 * and a list of N items is cheapest made once at its exact size, not grown by pushes from one element.
 */

/**
 * The one empty array that every absent list of the tree shares (a word's substitutions, a command's redirects or
 * assignments, …); readers never mutate the tree. Frozen, so a writer that forgets to copy it fails loudly instead
 * of corrupting every tree.
 */
export const none = Object.freeze([]) as unknown as never[];

/**
 * A stack whose storage outlives each use (and each parse): a construct notes `top` as its mark, pushes its items
 * (constructs nested in it push and take theirs above the mark first) and takes them off as one exact-size array.
 * The storage never shrinks: assigning a smaller `length` would make V8 trim it and grow it again on the next push.
 */
export class Scratch<T> {
  private readonly items: T[] = [];
  top = 0;

  push(item: T): void {
    if (this.top < this.items.length) this.items[this.top] = item;
    else this.items.push(item);
    this.top++;
  }

  get(index: number): T {
    return this.items[index];
  }

  /** The items from `mark` to the top, popped (`none` when there are none). */
  take(mark: number): T[] {
    const { items, top } = this;
    this.top = mark;
    // Literals for the usual few items: an inline allocation, where `slice` is a call into the runtime's builtin.
    switch (top - mark) {
      case 0:
        return none;
      case 1:
        return [items[mark]];
      case 2:
        return [items[mark], items[mark + 1]];
      case 3:
        return [items[mark], items[mark + 1], items[mark + 2]];
      case 4:
        return [items[mark], items[mark + 1], items[mark + 2], items[mark + 3]];
      case 5:
        return [items[mark], items[mark + 1], items[mark + 2], items[mark + 3], items[mark + 4]];
      default:
        return items.slice(mark, top);
    }
  }
}
