#!/usr/bin/env python3
"""Prints rows of reloader/src/config/keywords/table.rs from FRR's sources.

The command definitions (DEFUN, DEFPY, DEFPY_YANG, ALIAS, vtysh's DEFUNSH,
...) of FRR's daemons, lib and vtysh, with their string macros resolved
(the route types from FRR's generated route_types.h), are read per node
from install_element(NODE, &cmd); each node group of GROUPS below gets the
keywords at each position of its commands, to the depth given (`*` a free
argument, `#` a typed one). The rows of the other nodes (top level, vrf,
router bgp, address families, route-map) came from an earlier version of
this extraction, which wrote every argument `*`.

Usage: keyword-table.py FRR_SOURCE_DIR ROUTE_TYPES_H > rows.rs
  e.g. keyword-table.py /tmp/frrsrc/frr-10.4.3 \
           /opt/frr-10.4.3/usr/include/frr/route_types.h
"""

import collections
import os
import re
import sys

ROOT, ROUTE_TYPES = sys.argv[1], sys.argv[2]

SKIP={'tests','sharpd','pceplib','doc','tools','python','grpc','docker','debian','redhat','alpine','snapcraft','pkgsrc','ospfclient'}
files=[]
for d,ds,fs in os.walk(ROOT):
    rel=os.path.relpath(d,ROOT).split('/')[0]
    if rel in SKIP: continue
    for f in fs:
        if f.endswith(('.c','.h')): files.append(os.path.join(d,f))
files.append(ROUTE_TYPES)
src={f:open(f,errors='replace').read().replace('\\\n',' ') for f in files}
# string macros
defs={}
for f,t in src.items():
    t2=t.replace('\\\n',' ')
    for line in t2.split('\n'):
        m=re.match(r'\s*#\s*define\s+(\w+)\s+(.*)$',line)
        if m and re.sub(r'"(?:[^"\\]|\\.)*"|\w+|\s+','',m.group(2))=='':
            defs.setdefault(m.group(1),m.group(2))
def strexpr(e,depth=0):
    out=''
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"|(\w+)\s*\([^()]*\)|(\w+)',e):
        if m.group(1) is not None: out+=m.group(1)
        elif m.group(2) is not None: out+=' UNRESOLVED '
        else:
            n=m.group(3)
            if n in defs and depth<10:
                r=strexpr(defs[n],depth+1)
                if r is None: return None
                out+=r
            else: out+=' UNRESOLVED '
    return out
cmds={}
MAC=r'(?:DEFUN|DEFPY|DEFSH|DEFUNSH|ALIAS|DEFUN_YANG|DEFPY_YANG|DEFUN_NOSH|DEFPY_NOSH|DEFUN_YANG_NOSH|DEFPY_YANG_NOSH|DEFUN_HIDDEN|DEFPY_HIDDEN|ALIAS_HIDDEN|DEFUN_YANG_HIDDEN|DEFPY_YANG_HIDDEN|ALIAS_YANG|DEFPY_ATTR|DEFUN_ATTR|DEFUN_DEPRECATED|ALIAS_DEPRECATED)'
for f,t in src.items():
    for m in re.finditer(r'\b'+MAC+r'\s*\(',t):
        i=m.end();dep=1;q=False;esc=False;args=[];cur=''
        while i<len(t) and dep>0:
            ch=t[i];i+=1
            if q:
                cur+=ch
                if esc: esc=False
                elif ch=='\\': esc=True
                elif ch=='"': q=False
                continue
            if ch=='"': q=True;cur+=ch
            elif ch=='(': dep+=1;cur+=ch
            elif ch==')':
                dep-=1
                if dep>0: cur+=ch
            elif ch==',' and dep==1: args.append(cur);cur=''
            else: cur+=ch
        args.append(cur)
        a=[x.strip() for x in args]
        if len(a)<4: continue
        if m.group(0).startswith(('DEFSH','DEFUNSH')): name,st0=a[2],a[3]
        else: name,st0=a[1],a[2]
        st=strexpr(st0)
        if st is None: continue
        cmds.setdefault(name,set()).add(st)
inst=collections.defaultdict(set)
for f,t in src.items():
    for m in re.finditer(r'install_element\s*\(\s*(\w+)\s*,\s*&\s*(\w+)\s*\)',t):
        node,name=m.groups()
        for s in cmds.get(name,()): inst[node].add(s)

# --- positions ---

def lex(s):
    return re.findall(r'[<>\[\]{}|]|[^\s<>\[\]{}|]+', s)

# AST: ('seq', [items]) ; ('alt', [seqs], kind) kind in '<[{' ; ('tok', w)
def parse(toks):
    i = 0
    def seq(stop):
        nonlocal i
        items = []
        while i < len(toks) and toks[i] not in stop:
            t = toks[i]
            if t in '<[{':
                close = {'<': '>', '[': ']', '{': '}'}[t]
                i += 1
                alts = []
                while True:
                    alts.append(seq(('|', close)))
                    if toks[i] == '|':
                        i += 1
                        continue
                    i += 1
                    break
                items.append(('alt', alts, t))
            else:
                w = t.split('$')[0]
                i += 1
                if not w or w == '!':
                    continue
                w = w.lstrip('!')
                items.append(('tok', w))
        return items
    out = seq(())
    assert i == len(toks), toks
    return out

def gen_items(items, budget):
    """yield token tuples of the sequence, truncated to budget tokens"""
    if budget <= 0 or not items:
        yield ()
        return
    head, rest = items[0], items[1:]
    for h in gen_item(head, budget):
        if len(h) >= budget:
            yield h[:budget]
            continue
        for r in gen_items(rest, budget - len(h)):
            yield h + r

def gen_item(item, budget):
    if item[0] == 'tok':
        yield (item[1],)
        return
    _, alts, kind = item
    if kind == '<':
        for a in alts:
            yield from gen_items(a, budget)
    elif kind == '[':
        yield ()
        for a in alts:
            yield from gen_items(a, budget)
    else:  # '{': one or more, any order, each once
        n = len(alts)
        def rec(used, budget):
            for j in range(n):
                if j in used:
                    continue
                for a in gen_items(alts[j], budget):
                    yield a
                    if len(a) < budget:
                        for b in rec(used | {j}, budget - len(a)):
                            yield a + b
        yield from rec(frozenset(), budget)

TYPED = re.compile(r'^(\(.*\)|A\.B\.C\.D(/M)?|X:X::X:X(/M)?|M:A:C|M:A:C/M|ASNUM|AS_NUM)$')
def cls(w):
    # `5-1800` (ospf6d's `no aggregation timer [5-1800]`) is a number
    if w[0].islower():
        return w
    # a typed argument (number, address) is `#`, a free one (`WORD`) `*`
    return '#' if TYPED.match(w) or w[0].isdigit() or w == 'UNRESOLVED' else '*'

# `area X virtual-link Y`'s interval options, in any order: two of them
VL_AUTH = {'authentication', 'authentication-key', 'message-digest-key'}
def cap(f, d):
    if f[0] != 'area' or len(f) < 3:
        return d
    if f[2] == 'virtual-link':
        return 10 if len(f) < 5 or f[4] in VL_AUTH else 6
    if f[2] == 'range':
        return 6
    return 4

def forms(cmd, depth):
    out = set()
    for f in gen_items(parse(lex(cmd)), depth + 1):
        f = tuple(cls(w) for w in f)
        if f and f[0] == 'no':
            f = f[1:]
        out.add(f[:depth])
    return out

# vtysh's own commands left out, as in the existing table
EXCLUDED = {'clear', 'configuration', 'mgmt', 'show', 'terminal', 'yang', 'find', 'list', 'output', 'write', 'help'}

def table(nodes, depth, deep):
    pos = collections.defaultdict(lambda: [set(), False, False])
    for n in nodes:
        for cmd in inst.get(n, []):
            for f in forms(cmd, max([depth] + list(deep.values()))):
                f = tuple(f)
                if not f or f[0] in EXCLUDED or f[0] in ('*', '#'):
                    continue
                d = depth
                for n in range(1, len(f) + 1):
                    d = deep.get(' '.join(f[:n]), d)
                d = cap(f, d)
                f = f[:d]
                g = f
                for k in range(len(f)):
                    e = pos[g[:k]]
                    if f[k] == '*':
                        e[1] = True
                    elif f[k] == '#':
                        e[2] = True
                    else:
                        e[0].add(f[k])
                if len(f) < d:
                    pos[g]  # a form that ends within the depth
    return pos

def emit(kind, pos):
    rows = []
    for path in sorted(pos):
        kws, free, typed = pos[path]
        if kws:
            rows.append((kind, ' '.join(path), sorted(kws)))
        elif path and path[-1] in '*#':
            # an argument after which the table follows nothing
            rows.append((kind, ' '.join(path), []))
    return rows


def fmt(kind, path, kws):
    lines = []
    cur = '    (%s, "%s", &[' % (kind, path)
    for k in kws:
        piece = '"%s", ' % k
        if len(cur) + len(piece) > 99:
            lines.append(cur.rstrip())
            cur = '        '
        cur += piece
    cur = cur.rstrip().rstrip(',') + ']),'
    lines.append(cur)
    return '\n'.join(lines)

# Kind: (FRR nodes, depth, deeper depths by leading words).
GROUPS = {
    "Interface": (["INTERFACE_NODE"], 6,
                  {"ipv6 ospf6 authentication": 9, "ip rip authentication": 7}),
    "Router": (["OSPF_NODE", "OSPF6_NODE", "RIP_NODE", "RIPNG_NODE", "ISIS_NODE",
                "OPENFABRIC_NODE", "ROUTER_NODE", "EIGRP_NODE", "BABEL_NODE", "PIM_NODE",
                "PIM6_NODE", "ISIS_FLEX_ALGO_NODE", "ISIS_SRV6_NODE",
                "ISIS_SRV6_NODE_MSD_NODE"], 5,
               {"area": 10, "msdp": 6, "area-password": 6, "domain-password": 6, "redistribute": 4, "default-information": 4}),
    "KeyChain": (["KEYCHAIN_NODE", "KEYCHAIN_KEY_NODE"], 12, {}),
    "Bfd": (["BFD_NODE"], 6, {}),
    "BfdChild": (["BFD_PEER_NODE", "BFD_PROFILE_NODE"], 12, {}),
}

for kind, (nodes, depth, deep) in GROUPS.items():
    for k, p, kws in emit(kind, table(nodes, depth, deep)):
        print(fmt(k, p, kws))
