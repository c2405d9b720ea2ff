/**
 * `npx tsx data/fetch/cifar.ts --variant 10|100 [--from cifar-1x-binary.tar.gz]`
 *
 * CIFAR-10 / CIFAR-100, the publisher's "binary version" (https://www.cs.toronto.edu/~kriz/cifar.html):
 * downloads the archive (resuming a partial download), verifies the md5 the publisher lists, extracts it into
 * `<root>/extract/` (→ `cifar-10-batches-bin/` or `cifar-100-binary/`) and checks that every batch file
 * decodes. The mul-free paper's sequential/pixel CIFAR items read that folder (`loadCifar`).
 * Default root: `data/raw/cifar10` or `data/raw/cifar100`.
 */
import { join } from "node:path";
import { CIFAR_VARIANTS, loadCifar, type CifarVariant } from "../../src/lib/data/datasets/cifar.js";
import { COMMON_HELP, extractArchive, FETCH_OPTIONS, fetchArgsFrom, isMain, obtain, parseOptions, type FetchArgs } from "./common.js";

/** Publisher archives and their published md5s. */
export const CIFAR_RESOURCES: Record<CifarVariant, { archive: string; url: string; md5: string }> = {
  cifar10: { archive: "cifar-10-binary.tar.gz", url: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", md5: "c32a1d4ab5d03f1284b67883e8d87530" },
  cifar100: { archive: "cifar-100-binary.tar.gz", url: "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz", md5: "03b5dce01913d631647c71ecec9e9cb8" },
};

/** `--variant 10|100` (or cifar10/cifar100) and the common fetch options; root defaults to `data/raw/<variant>`. */
export function parseCifarArgs(argv: readonly string[]): { variant: CifarVariant; args: FetchArgs } {
  const v = parseOptions("cifar", argv, { ...FETCH_OPTIONS, variant: { type: "string", expects: "10 or 100" } });
  let variant: CifarVariant | undefined;
  if (v.variant === "10" || v.variant === "cifar10") variant = "cifar10";
  else if (v.variant === "100" || v.variant === "cifar100") variant = "cifar100";
  else if (v.variant !== undefined) throw new Error(`cifar: --variant must be 10 or 100, got '${v.variant}'`);
  if (!variant && !v.help) throw new Error("cifar: pass --variant 10 or --variant 100");
  variant ??= "cifar10";
  return { variant, args: fetchArgsFrom(v, "cifar", [], variant) };
}

export async function fetchCifar(variant: CifarVariant, args: FetchArgs): Promise<{ root: string; train: number; test: number }> {
  const r = CIFAR_RESOURCES[variant];
  const archive = await obtain(r.archive, join(args.root, "download"), args, { url: r.url, md5: r.md5 });
  const extract = join(args.root, "extract");
  extractArchive(archive, extract);
  // Decoding every record is the integrity check of the extracted files (sizes, label ranges).
  const train = loadCifar(extract, variant, true).labels.length;
  const test = loadCifar(extract, variant, false).labels.length;
  return { root: join(extract, CIFAR_VARIANTS[variant].folder), train, test };
}

if (isMain(import.meta.url)) {
  try {
    const { variant, args } = parseCifarArgs(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(`npx tsx data/fetch/cifar.ts --variant 10|100 [options]\n\nOptions:${COMMON_HELP}\n`);
    } else {
      fetchCifar(variant, args).then((r) => process.stdout.write(`${variant} ready in ${r.root} (${r.train} train, ${r.test} test)\n`))
        .catch((e: Error) => { process.stderr.write(`${e.message}\n`); process.exitCode = 1; });
    }
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
