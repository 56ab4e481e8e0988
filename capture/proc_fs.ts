/**
 * Reading /proc through the C library. Deno grants /proc only to
 * `--allow-all`, which Sluice never runs with; host mode (`sluice run
 * --processes`) needs /proc/net/* and /proc/<pid>/fd to find which process
 * owns a socket, so it reads them here, with the FFI permission capture
 * already has. Linux (glibc) only; synchronous, because the engine asks
 * synchronously when a flow opens.
 *
 * @module
 */

const SYMBOLS = {
  open: { parameters: ["buffer", "i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  close: { parameters: ["i32"], result: "i32" },
  opendir: { parameters: ["buffer"], result: "pointer" },
  readdir64: { parameters: ["pointer"], result: "pointer" },
  closedir: { parameters: ["pointer"], result: "i32" },
  readlink: { parameters: ["buffer", "buffer", "usize"], result: "isize" },
} as const;

/** Where struct dirent64's d_name starts (glibc, every 64-bit Linux). */
const D_NAME = 19;
const O_RDONLY = 0, O_CLOEXEC = 0o2000000;
/** Longest file read: /proc/net/tcp of a busy host is large, its lines short. */
const MAX_FILE = 64 << 20;

/** /proc as host mode reads it. */
export interface ProcReader {
  /** A file's text; null when it cannot be read (gone, no permission). */
  readText(path: string): string | null;
  /** A directory's entries (without "." and ".."); [] when it cannot be read. */
  list(path: string): string[];
  /** A symlink's target; null when it cannot be read. */
  readLink(path: string): string | null;
}

let lib: Deno.DynamicLibrary<typeof SYMBOLS>["symbols"] | null | undefined;

/**
 * The C library's /proc reader, or null where there is none (not Linux, no
 * glibc).
 *
 * @example
 * ```ts ignore
 * const proc = procReader();
 * console.log(proc?.readLink(`/proc/${Deno.pid}/fd/0`)); // "/dev/pts/0", "pipe:[123]"...
 * ```
 */
export function procReader(): ProcReader | null {
  if (lib === undefined) {
    try {
      lib = Deno.build.os === "linux" ? Deno.dlopen("libc.so.6", SYMBOLS).symbols : null;
    } catch {
      lib = null;
    }
  }
  const c = lib;
  if (c === null) return null;
  const linkBuffer = new Uint8Array(4096);
  const decoder = new TextDecoder();
  return {
    readText(path) {
      const fd = c.open(cPath(path), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return null;
      try {
        const chunks: Uint8Array[] = [];
        let total = 0;
        for (;;) {
          const chunk = new Uint8Array(total < 65536 ? 65536 : total);
          const n = Number(c.read(fd, chunk, BigInt(chunk.length)));
          if (n < 0) return null;
          if (n === 0) break;
          chunks.push(chunk.subarray(0, n));
          total += n;
          if (total > MAX_FILE) return null;
        }
        const all = new Uint8Array(total);
        let at = 0;
        for (const chunk of chunks) {
          all.set(chunk, at);
          at += chunk.length;
        }
        return decoder.decode(all);
      } finally {
        c.close(fd);
      }
    },
    list(path) {
      const dir = c.opendir(cPath(path));
      if (dir === null) return [];
      try {
        const names: string[] = [];
        for (let entry = c.readdir64(dir); entry !== null; entry = c.readdir64(dir)) {
          const name = new Deno.UnsafePointerView(entry).getCString(D_NAME);
          if (name !== "." && name !== "..") names.push(name);
        }
        return names;
      } finally {
        c.closedir(dir);
      }
    },
    readLink(path) {
      const n = Number(c.readlink(cPath(path), linkBuffer, BigInt(linkBuffer.length)));
      return n < 0 ? null : decoder.decode(linkBuffer.subarray(0, n));
    },
  };
}

function cPath(path: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(path + "\0");
}
