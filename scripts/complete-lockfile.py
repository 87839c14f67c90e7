# npm leaves out of package-lock.json the platform-specific optional packages its registry cannot serve
# (this workplace's npm registry has only the linux-x64 builds of @unrs/resolver-binding-*), and `npm ci` then
# refuses the lock as out of sync. This adds their entries back, marked optional with their os/cpu/libc, so
# `npm ci` skips them on other platforms as it would with a complete lock. Run after any `npm install`:
#   python3 scripts/complete-lockfile.py package-lock.json
import json, re, sys
path = sys.argv[1]
lock = json.load(open(path))
pk = lock['packages']
res = pk.get('node_modules/unrs-resolver')
added = []
osmap = {'android':'android','darwin':'darwin','freebsd':'freebsd','linux':'linux','openharmony':'openharmony','win32':'win32'}
for name, ver in res.get('optionalDependencies', {}).items():
    key = 'node_modules/' + name
    if key in pk: continue
    suffix = name.split('resolver-binding-')[1]
    parts = suffix.split('-')
    os_ = parts[0]; cpu = parts[1]
    cpu = {'arm':'arm','arm64':'arm64','x64':'x64','ia32':'ia32','loong64':'loong64','ppc64':'ppc64','riscv64':'riscv64','s390x':'s390x'}[cpu]
    entry = {'version': ver, 'cpu': [cpu], 'license': 'MIT', 'optional': True, 'os': [os_]}
    libc = parts[2] if len(parts) > 2 else None
    if libc in ('gnu','gnueabihf'): entry['libc'] = ['glibc']
    if libc in ('musl','musleabihf'): entry['libc'] = ['musl']
    pk[key] = entry
    added.append(name)
lock['packages'] = dict(sorted(pk.items(), key=lambda kv: (kv[0] != '', kv[0])))
json.dump(lock, open(path, 'w'), indent=2)
open(path, 'a').write('\n')
print('added', len(added))
