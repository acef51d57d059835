#!/usr/bin/env bash
# Tests the *packed* npm package: `npm pack` pkg/, install the tarball into a scratch project, and
# run the suites in Node 20, 22 and 24 (node:test, require and import), Deno, Bun, workerd,
# headless Chromium and Firefox (bundler-free pages, and bundles), then `tsc --noEmit`.
# Usage: tools/js-tests.sh [node|deno|bun|workerd|browser|soak|types]...   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/tools/node_modules/.bin:$PATH"
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(lint node deno bun workerd browser soak types)

scratch=$root/target/js-scratch
rm -rf "$scratch"
mkdir -p "$scratch"
tarball=$(cd "$root/pkg" && npm pack --silent --pack-destination "$scratch")
echo "npm pack: $tarball $(stat -c %s "$scratch/$tarball") bytes"
cat > "$scratch/package.json" <<JSON
{ "name": "scratch", "private": true, "type": "module" }
JSON
(cd "$scratch" && npm install --silent --no-audit --no-fund --ignore-scripts "./$tarball")
# playwright-core and puppeteer-core for the browser test come from the tools install.
ln -s "$root/tools/node_modules/playwright-core" "$scratch/node_modules/playwright-core"
ln -s "$root/tools/node_modules/puppeteer-core" "$scratch/node_modules/puppeteer-core"
# Express for readme.test.mjs (the README's API-key snippet mounts on an Express app), pinned in examples/.
ln -s "$root/examples/node_modules/express" "$scratch/node_modules/express"
cp tests/js/*.js tests/js/*.mjs tests/js/*.ts tests/js/*.cts "$scratch/"

for part in "${parts[@]}"; do
    echo "== $part"
    case $part in
        node)
            for node in node "$root/tools/node22/node_modules/.bin/node" "$root/tools/node24/node_modules/.bin/node"; do
                echo "-- $("$node" --version)"
                (cd "$scratch" && "$node" --test --test-reporter=spec node.test.mjs hostile.test.mjs integrations.test.mjs readme.test.mjs)
            done
            # Node applications bundled with esbuild and webpack (the bundlers' output does not
            # depend on the Node version that runs them).
            (cd "$scratch" && node --test --test-reporter=spec node-bundles.test.mjs) ;;
        deno) (cd "$scratch" && DENO_NO_UPDATE_CHECK=1 deno run --no-prompt run-smoke.mjs) ;;
        bun) (cd "$scratch" && bun run-smoke.mjs) ;;
        workerd) (cd "$scratch" && node workerd.test.mjs) ;;
        browser) (cd "$scratch" && node browser.test.mjs) ;;
        soak) cp bench/memory.mjs "$scratch/" && (cd "$scratch" && SOAK_CALLS=200000 node --expose-gc memory.mjs soak.json --assert) ;;
        types) (cd "$scratch" && tsc --noEmit --strict --module nodenext --moduleResolution nodenext \
                    --target es2022 --lib es2022,dom,esnext.disposable --types "" consumer.ts consumer.cts &&
                 tsc --noEmit --strict --module nodenext --moduleResolution nodenext --target es2022 \
                    --lib es2022,dom --types "" consumer.cts &&
                 echo "tsc --noEmit: consumer.ts and consumer.cts type-check (also without esnext.disposable)")
               # Every @example of the types, as its own module, with Node's types as a user has them.
               node tools/doc-snippets.mjs types "$scratch/doc-examples"
               ln -sfn "$root/tools/node_modules/@types" "$scratch/node_modules/@types"
               # The frameworks' own types, for the integrations' examples (pinned in examples/).
               for dep in fastify hono; do
                   [ -e "$scratch/node_modules/$dep" ] || ln -s "$root/examples/node_modules/$dep" "$scratch/node_modules/$dep"
               done
               (cd "$scratch" && tsc --noEmit --strict --module nodenext --moduleResolution nodenext \
                    --target es2022 --lib es2022,dom,esnext.disposable --types node doc-examples/*.ts &&
                 echo "tsc --noEmit: $(ls doc-examples | wc -l) @example blocks of the types type-check with @types/node") ;;
        lint)
            # Every code block of the READMEs is a region of a tested file (tools/doc-snippets.mjs).
            node tools/doc-snippets.mjs readme
            # The package as published: publint, arethetypeswrong for every JavaScript entry (the
            # .wasm export is not one), and npm's own publish checks (a throwaway token only
            # silences "not logged in"; nothing is sent with --dry-run).
            publint "$root/pkg"
            attw --pack "$root/pkg" --exclude-entrypoints ./dialnexa_verify.wasm --format ascii
            npmrc=$(mktemp)
            echo "//registry.npmjs.org/:_authToken=dry-run-only" > "$npmrc"
            log=$(cd "$root/pkg" && npm publish --dry-run --userconfig "$npmrc" 2>&1)
            rm -f "$npmrc"
            if grep -iE '^npm (warn|err)' <<<"$log"; then echo "npm publish --dry-run: warnings" >&2; exit 1; fi
            echo "npm publish --dry-run: clean ($(grep -E 'package size|total files' <<<"$log" | sed 's/npm notice //' | paste -sd ', '))" ;;
        *) echo "unknown part $part" >&2; exit 2 ;;
    esac
done
