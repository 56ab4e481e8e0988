/**
 * Windowing for long lists: with 1,000 devices only the rows in view (plus a
 * few either side) exist in the DOM, so a 1 Hz update touches dozens of
 * rows, not thousands. Rows have a fixed height; the scroll container's
 * scrollTop says which ones show.
 *
 * @module
 */
import { useEffect, useState } from "./html.js";

const OVERSCAN = 6;

/**
 * The rows to render for a scroll container `ref` holding `count` rows of
 * `rowHeight` px: { start, end } (end exclusive) and the total height.
 */
export function useWindow(ref, count, rowHeight) {
  const [view, setView] = useState({ top: 0, height: 800 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      setView((v) =>
        v.top === el.scrollTop && v.height === el.clientHeight
          ? v
          : { top: el.scrollTop, height: el.clientHeight }
      );
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(measure);
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    const resize = new ResizeObserver(measure);
    resize.observe(el);
    measure();
    return () => {
      el.removeEventListener("scroll", onScroll);
      resize.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [ref.current]);
  const start = Math.max(0, Math.floor(view.top / rowHeight) - OVERSCAN);
  const end = Math.min(count, Math.ceil((view.top + view.height) / rowHeight) + OVERSCAN);
  return { start, end, total: count * rowHeight };
}
