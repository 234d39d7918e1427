#!/usr/bin/env bash
# Checks the Magento module without Magento: `php -l` on every PHP file (syntax only; Magento classes are not
# loaded), then every plain-PHP test in this folder. Needs php-cli (Debian: apt-get install -y php-cli).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
module_root=$(cd "$here/.." && pwd)

if ! command -v php >/dev/null 2>&1; then
  echo "run.sh: php is not on PATH (Debian: apt-get install -y php-cli)" >&2
  exit 2
fi

echo "php -l ($(php -r 'echo PHP_VERSION;'))"
lint_failures=0
count=0
while IFS= read -r -d '' file; do
  count=$((count + 1))
  if ! output=$(php -l "$file" 2>&1); then
    echo "$output" >&2
    lint_failures=$((lint_failures + 1))
  fi
done < <(find "$module_root" -name '*.php' -not -path '*/node_modules/*' -print0 | sort -z)
echo "  ${count} files, ${lint_failures} with syntax errors"
[ "$lint_failures" -eq 0 ] || exit 1

for test in "$here"/*Test.php; do
  php "$test"
done
