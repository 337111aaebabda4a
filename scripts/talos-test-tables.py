#!/usr/bin/env python3
"""Talos' validation test tables, as facts: counts and the v1alpha1 `TestValidate` cases.

Usage:
  scripts/talos-test-tables.py count <talos git dir> <tag>
      every `Test*Validat*` function of pkg/machinery/config/types/ at <tag> and the number
      of `name:` cases in its table (the upstream counts in src/talos/validate/upstream/count.rs)
  scripts/talos-test-tables.py testvalidate <talos git dir> <tag> <structs.json> <gonames.json> \
        > src/talos/validate/upstream/testdata/v1alpha1-TestValidate-<tag>.json
      the `TestValidate` table of v1alpha1_validation_test.go: each case's Go `v1alpha1.Config`
      literal turned into its YAML document (JSON), with `requiresInstall`, `strict`,
      `expectedError` and `expectedWarnings` verbatim.

The Go literal is read by a small parser of the subset the table uses (composite literals,
`new(x)`, `[]byte("..")` as base64, `strings.Repeat`, string concatenation); Go field names
become YAML keys through the structs and gonames tables of scripts/talos-structs.py. Anything
else is reported on stderr (`WARN ...`) for a human to look at.
"""
import base64
import json
import re
import subprocess
import sys

def load(structs, gonames):
    global S, FIELDS
    S = json.load(open(structs))
    G = json.load(open(gonames))
    FIELDS = {}
    for t,fs in G.items():
        ft={f[0]:f[1] for f in S.get(t,{}).get('fields',[])}
        FIELDS[t]={g:(y,ft.get(y)) for y,g in fs}
    FIELDS.setdefault('v1alpha1.HostDNSConfig',{})['HostDNSConfigEnabled']=('enabled','*bool')  # renamed in v1.14
    FIELDS['x509.PEMEncodedCertificateAndKey']={'Crt':('crt','[]byte'),'Key':('key','[]byte')}
    FIELDS['x509.PEMEncodedCertificate']={'Crt':('crt','[]byte')}
    FIELDS['x509.PEMEncodedKey']={'Key':('key','[]byte')}
def resolve(t):
    if t is None: return None
    t=t.lstrip('*')
    while t in S and 'type' in S[t]: t=S[t]['type'].lstrip('*')
    return t
TOK=re.compile(r'\s*(?:(//[^\n]*)|("(?:[^"\\]|\\.)*")|(`[^`]*`)|([A-Za-z_][\w.]*)|(-?\d+(?:\.\d+)?)|(\S))',re.S)
def lex(s):
    out=[];pos=0
    while pos<len(s):
        m=TOK.match(s,pos)
        if not m: break
        pos=m.end()
        if m.group(1): continue
        if m.group(2): out.append(('str',json.loads(m.group(2))))
        elif m.group(3): out.append(('str',m.group(3)[1:-1]))
        elif m.group(4): out.append(('id',m.group(4)))
        elif m.group(5): out.append(('num',m.group(5)))
        elif m.group(6): out.append(('p',m.group(6)))
    return out
class P:
    def __init__(s,toks,env): s.t=toks;s.i=0;s.env=env;s.warn=[]
    def peek(s,k=0): return s.t[s.i+k] if s.i+k<len(s.t) else ('eof',None)
    def next(s): x=s.t[s.i]; s.i+=1; return x
    def expect(s,v):
        x=s.next(); assert x[1]==v,(x,v,s.t[s.i-5:s.i+5])
    def typ(s):
        # parse a type expression
        x=s.peek()
        if x[1]=='*': s.next(); return '*'+s.typ()
        if x[1]=='[':
            s.next(); s.expect(']'); return '[]'+s.typ()
        if x==('id','map'):
            s.next(); s.expect('['); k=s.typ(); s.expect(']'); return 'map['+k+']'+s.typ()
        return s.next()[1]
    def value(s,et):
        x=s.peek()
        if x[1]=='&': s.next(); return s.value(et)
        if x[0]=='str':
            s.next(); v=x[1]
            while s.peek()[1]=='+':
                s.next(); v+=s.value(et)
            return v
        if x[0]=='num': s.next(); return float(x[1]) if '.' in x[1] else int(x[1])
        if x[1]=='{': return s.lit(et)
        if x[1]=='[' or x==('id','map'):
            t=s.typ()
            if s.peek()[1]=='(':  # conversion []byte("x")
                s.next(); v=s.value(None); s.expect(')'); return ('bytes',v) if t=='[]byte' else v
            return s.lit(t)
        if x[0]=='id':
            name=s.next()[1]
            if name in('true','false'): return name=='true'
            if name=='nil': return None
            if s.peek()[1]=='(':
                s.next(); args=[]
                while s.peek()[1]!=')':
                    args.append(s.value(et));
                    if s.peek()[1]==',': s.next()
                s.expect(')')
                if name in('new','pointer.To','uint32','int','uint8','uint16','int64'): return args[0]
                if name=='strings.Repeat': return args[0]*args[1]
                if name in('v1alpha1.NewArgValue','meta.NewArgValue') and args[1] is None: return args[0]
                if name=='time.Duration' or name.endswith('Duration'): return args[0]
                if name in ('netip.MustParseAddr','netip.MustParsePrefix'): return args[0]
                s.warn.append(f'call {name}{args}'); return ('call',name,args)
            if s.peek()[1]=='{':
                return s.lit(name)
            if name in s.env: return s.env[name]
            if s.peek()[1]=='*' or s.peek()[1]=='+':
                s.warn.append(f'expr {name}')
            s.warn.append(f'ident {name}'); return ('ident',name)
        raise Exception(('bad',x,s.t[s.i-5:s.i+5]))
    def lit(s,t):
        s.expect('{')
        rt=resolve(t) if t else None
        items=[];keyed={}
        while s.peek()[1]!='}':
            # keyed?
            if (s.peek()[0] in('id','str') and s.peek(1)[1]==':'):
                k=s.next()[1]; s.next()
                ftype=None; ykey=k
                if rt in('meta.Unstructured','v1alpha1.Unstructured') and k=='Object':
                    ftype='map[string]any'
                elif rt and rt in FIELDS and k in FIELDS[rt]:
                    ykey,ftype=FIELDS[rt][k]
                elif rt and rt.startswith('map['):
                    ftype=rt.split(']',1)[1]
                elif rt in('meta.Unstructured','v1alpha1.Unstructured') and k=='Object':
                    ftype='map[string]any'
                elif rt and rt!='struct':
                    s.warn.append(f'unknown field {rt}.{k}')
                v=s.value(ftype)
                if isinstance(v,tuple) and v[0]=='bytes': v=base64.b64encode(v[1].encode()).decode()
                keyed[ykey]=v
            else:
                it=rt[2:] if rt and rt.startswith('[]') else None
                v=s.value(it)
                if isinstance(v,tuple) and v[0]=='bytes': v=base64.b64encode(v[1].encode()).decode()
                items.append(v)
            if s.peek()[1]==',': s.next()
        s.expect('}')
        if rt=='v1alpha1.Endpoint': return items[0]
        if rt in('meta.Unstructured','v1alpha1.Unstructured') and list(keyed)==['Object']: return keyed['Object']
        if items and keyed: raise Exception('mixed')
        return items if items or not keyed and rt and rt.startswith('[]') else keyed

def table(src, start_pat, env):
    i=src.index(start_pat)
    j=src.index('}{\n',i)+1
    k=src.index('\t} {\n\t\tt.Run(',j)
    body=src[j:k+2]
    p=P(lex(body),env)
    cases=p.lit('[]struct')
    return cases,p.warn


def git_show(gitdir, tag, path):
    return subprocess.run(['git', '--git-dir', gitdir, 'show', f'{tag}:{path}'],
                          capture_output=True, text=True, check=True).stdout


def table(src, func, env):
    i = src.index('func ' + func + '(')
    j = src.index('}{\n', i) + 1
    k = src.index('\t} {\n\t\tt.Run(', j)
    p = P(lex(src[j:k + 2]), env)
    return p.lit('[]struct'), p.warn


def count(gitdir, tag):
    files = subprocess.run(['git', '--git-dir', gitdir, 'ls-tree', '-r', tag, '--name-only'],
                           capture_output=True, text=True, check=True).stdout.split()
    total = 0
    for f in files:
        if not re.search(r'pkg/machinery/config/types/.*_test\.go$', f):
            continue
        for fn in re.split(r'\n(?=func )', git_show(gitdir, tag, f)):
            m = re.match(r'func (Test\w*Validat\w*)', fn)
            if m:
                n = len(re.findall(r'^\s+name:\s+"', fn, re.M))
                total += n
                print(f"{f.split('types/')[1]} {m.group(1)} {n}")
    print('total', total)


def main():
    if sys.argv[1] == 'count':
        count(sys.argv[2], sys.argv[3])
        return
    gitdir, tag, structs, gonames = sys.argv[2:6]
    load(structs, gonames)
    src = git_show(gitdir, tag, 'pkg/machinery/config/types/v1alpha1/v1alpha1_validation_test.go')
    cases, warn = table(src, 'TestValidate', {'endpointURL': 'https://localhost:6443/'})
    for w in warn:
        print('WARN', w, file=sys.stderr)
    sys.stdout.write('[\n' + ',\n'.join(json.dumps(c, separators=(',', ':')) for c in cases) + '\n]\n')


if __name__ == '__main__':
    main()
