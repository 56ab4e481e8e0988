// web/ui_files.ts, the embedded UI's manifest: it must name exactly the files
// under web/ui and web/vendor, or the binary would miss one (or fail to load).
import { assert, assertEquals, assertThrows } from "@std/assert";
import { servedFiles, UI_FILES_MODULE, uiFilesModule, WEB_DIR } from "../../web/make_ui_files.ts";
import { UI_FILES } from "../../web/ui_files.ts";

Deno.test("web/ui_files.ts names every served file under web/ui and web/vendor (else: deno task assets:web)", async () => {
  const expected = uiFilesModule(await servedFiles());
  const actual = await Deno.readTextFile(UI_FILES_MODULE);
  assert(
    actual === expected,
    "web/ui_files.ts is stale: a file was added, renamed or removed under web/ui or web/vendor; " +
      "run `deno task assets:web`",
  );
});

Deno.test("UI_FILES holds each file's current bytes, as imported", async () => {
  const paths = await servedFiles();
  assertEquals([...UI_FILES.keys()], paths);
  for (const [path, bytes] of UI_FILES) {
    assertEquals(bytes, await Deno.readFile(new URL(path, WEB_DIR)), path);
  }
});

Deno.test("servedFiles() lists served types under ui/ and vendor/ only, without dotfiles, sorted", async () => {
  const web = await Deno.makeTempDir({ prefix: "sluice-ui-files-test-" });
  try {
    const files = [
      "ui/index.html",
      "ui/views/b.js",
      "ui/views/a.js",
      "ui/Z.css",
      "ui/.hidden.js",
      "ui/.git/x.js",
      "ui/notes.md",
      "vendor/x.mjs",
      "vendor/make_vendor.ts",
      "other/y.js",
    ];
    for (const f of files) {
      await Deno.mkdir(`${web}/${f.slice(0, f.lastIndexOf("/"))}`, { recursive: true });
      await Deno.writeTextFile(`${web}/${f}`, f);
    }
    const listed = await servedFiles(new URL(`file://${web}/`));
    assertEquals(listed, [
      "ui/Z.css",
      "ui/index.html",
      "ui/views/a.js",
      "ui/views/b.js",
      "vendor/x.mjs",
    ]);
    // A file added later changes the manifest: the staleness test above then fails.
    await Deno.writeTextFile(`${web}/ui/new.js`, "");
    const again = await servedFiles(new URL(`file://${web}/`));
    assert(uiFilesModule(again) !== uiFilesModule(listed));
  } finally {
    await Deno.remove(web, { recursive: true });
  }
});

Deno.test("uiFilesModule() imports each path as bytes and refuses one it cannot quote", () => {
  assertEquals(
    uiFilesModule(["ui/a.js", "vendor/b.mjs"]).split("\n").filter((l) =>
      /^(import| {2}\[)/.test(l)
    ),
    [
      'import f0 from "./ui/a.js" with { type: "bytes" };',
      'import f1 from "./vendor/b.mjs" with { type: "bytes" };',
      '  ["ui/a.js", f0],',
      '  ["vendor/b.mjs", f1],',
    ],
  );
  for (const bad of ['ui/a".js', "ui/a\\b.js", "other/a.js", "ui/\n.js"]) {
    assertThrows(() => uiFilesModule([bad]), RangeError, "not servable");
  }
});
