// Prints "epoch-ms bytes" every 10 ms: the received byte counter of one
// interface, as the kernel counts frames (Ethernet header included, as tc
// counts them). Run inside a namespace by bench:shaper, with -A (Deno asks
// for all permissions to read /sys); stops on SIGTERM.
const iface = Deno.args[0];
if (!/^[A-Za-z0-9_.-]{1,15}$/.test(iface ?? "")) {
  console.error("usage: _rx_sampler.ts IFACE");
  Deno.exit(2);
}
const path = `/sys/class/net/${iface}/statistics/rx_bytes`;
const sample = () =>
  console.log(
    `${(performance.timeOrigin + performance.now()).toFixed(2)} ${
      Deno.readTextFileSync(path).trim()
    }`,
  );
sample();
setInterval(sample, 10);
