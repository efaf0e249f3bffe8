/**
 * A min-heap of timed events, ordered by (at, insertion order): the simulator's agenda of
 * deadlines and buyer moves. One clock timer is armed for the head at a time.
 */

interface Slot<E> {
  readonly at: number;
  readonly order: number;
  readonly event: E;
}

export class EventQueue<E> {
  private readonly heap: Slot<E>[] = [];
  private inserted = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, event: E): void {
    this.heap.push({ at, order: this.inserted++, event });
    this.siftUp(this.heap.length - 1);
  }

  peekAt(): number | undefined {
    return this.heap[0]?.at;
  }

  /** Removes and returns the earliest event due at or before `now`, if any. */
  popDue(now: number): { at: number; event: E } | undefined {
    const head = this.heap[0];
    if (head === undefined || head.at > now) return undefined;
    const last = this.heap.pop() as Slot<E>;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return { at: head.at, event: head.event };
  }

  clear(): void {
    this.heap.length = 0;
  }

  private before(a: Slot<E>, b: Slot<E>): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(heap[index] as Slot<E>, heap[parent] as Slot<E>)) break;
      [heap[index], heap[parent]] = [heap[parent] as Slot<E>, heap[index] as Slot<E>];
      index = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && this.before(heap[left] as Slot<E>, heap[smallest] as Slot<E>)) smallest = left;
      if (right < heap.length && this.before(heap[right] as Slot<E>, heap[smallest] as Slot<E>)) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest] as Slot<E>, heap[index] as Slot<E>];
      index = smallest;
    }
  }
}
