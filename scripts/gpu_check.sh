#!/bin/bash
# The GPU check of `make test-gpu`, for a machine whose python3 has a CUDA torch but none of the course's
# other packages and no network. Prepare on a machine with network, in the repo root:
#   grep -hv '^#' requirements/lock.txt requirements/test.txt | grep '==' \
#     | grep -viE '^(torch|numpy|sympy|mpmath|networkx|filelock|fsspec|playwright|greenlet|nvidia[-_a-z0-9]*)==' \
#     | grep -viE '^(babel|debugpy|widgetsnbextension|jupyter_builder|jupyterlab_server|jupyter-lsp|notebook_shim|jupyterlab-deck|jupyterlab-fonts)==' \
#     > /tmp/gpu_reqs.txt   # the second line drops what no unit test or kernel imports (about 20 MB)
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#     --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
#     -d .whl -r /tmp/gpu_reqs.txt          # (.whl is git-ignored locally: echo /.whl/ >> .git/info/exclude)
# then copy the repo with .whl to the GPU machine and run: bash scripts/gpu_check.sh
# Logs go to $OUT (default build/gpu). Exit status: that of the test-gpu recipe.
set -o pipefail
OUT=${OUT:-build/gpu}; mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 3
# the machine's own pytest plugins may not fit our pytest: load only nbval
export PYTHONPATH=/tmp/site:$PWD PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 PYTEST_ADDOPTS="-p nbval.plugin"
{ nvidia-smi -L; python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())"; } \
  2>&1 | tee "$OUT/env.txt"
rc=0   # the Makefile's test-gpu recipe, line by line, so a failing unit test still lets nbval run
while IFS= read -r cmd; do
  echo "== $cmd"; start=$(date +%s)
  bash -c "$cmd" </dev/null 2>&1 | tee -a "$OUT/test_gpu.log"; r=$?; [ $r -ne 0 ] && rc=$r
  echo "== rc=$r in $(( $(date +%s) - start )) s" | tee -a "$OUT/test_gpu.log"
done < <(sed -n "/^test-gpu:/,/^$/p" Makefile | tail -n +2 | grep . | sed "s/^\t//; s/\$(GPU_PYTHON)/python3/; \
  s/\$(NBVAL)/-m pytest -q -p no:cacheprovider --nbval-current-env --nbval-cell-timeout=300 --nbval-sanitize-with tests\/nbval_sanitize.cfg/")
UNROLLED_SEED=1 UNROLLED_REQUIRE_CUDA=1 python3 -m pytest -q -p no:cacheprovider --nbval-current-env \
  --nbval-cell-timeout=300 --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-lax notebooks </dev/null 2>&1 \
  | tee "$OUT/seed1.log" || rc=1
echo "gpu check rc=$rc" | tee -a "$OUT/test_gpu.log"
exit $rc
