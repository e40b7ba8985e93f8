#!/usr/bin/env python3
"""Moves Java classes between packages, mechanically: git mv, the package line, and import rewrites.

Usage (from the repository root): python3 build/move-classes.py OLD.FQCN=NEW.PACKAGE ...
For each move: the file (main or test source set, any module) is moved with git mv and its package line
changed; it gets imports for the classes of its old package it names; every import or fully qualified use
of the old name in .java files and META-INF/services files is rewritten; files left in the old package that
name the class get an import of it; files of the new package drop their import of it.
Nothing else is changed. Written for issue 15 (session 4) so the move can be replayed after a merge.
"""
import os, re, subprocess, sys

ROOT = os.getcwd()

def java_files():
    out = []
    for d, dirs, files in os.walk(ROOT):
        dirs[:] = [x for x in dirs if x not in ('target', '.git', 'node_modules')]
        for f in files:
            if f.endswith('.java') or '/META-INF/services' in d:
                out.append(os.path.join(d, f))
    return sorted(out)

def package_of(text):
    m = re.search(r'^package\s+([\w.]+)\s*;', text, re.M)
    return m.group(1) if m else None

def classes_in(pkg, files):
    names = set()
    for f in files:
        if f.endswith('.java') and package_of(open(f).read()) == pkg:
            names.add(os.path.basename(f)[:-5])
    names.discard('package-info')
    return names

def add_import(text, fqcn):
    line = 'import ' + fqcn + ';'
    if re.search(r'^' + re.escape(line) + r'$', text, re.M):
        return text
    lines = text.split('\n')
    imports = [i for i, l in enumerate(lines) if l.startswith('import ') and not l.startswith('import static ')]
    if imports:
        at = next((i for i in imports if lines[i] > line), imports[-1] + 1)
    else:
        statics = [i for i, l in enumerate(lines) if l.startswith('import static ')]
        if statics:
            at = statics[-1] + 1
            lines.insert(at, '')
            at += 1
        else:
            pk = next(i for i, l in enumerate(lines) if l.startswith('package '))
            lines.insert(pk + 1, '')
            at = pk + 2
            lines.insert(at, '')
    lines.insert(at, line)
    return '\n'.join(lines)

def names(text, simple):
    body = re.sub(r'^(package|import)\s.*$', '', text, flags=re.M)
    return re.search(r'(?<![\w.])' + re.escape(simple) + r'\b', body) is not None

def move(old_fqcn, new_pkg):
    old_pkg, simple = old_fqcn.rsplit('.', 1)
    new_fqcn = new_pkg + '.' + simple
    files = java_files()
    src = [f for f in files if f.endswith('/' + old_fqcn.replace('.', '/') + '.java')]
    if len(src) != 1:
        sys.exit('expected one file for ' + old_fqcn + ', found ' + str(src))
    src = src[0]
    base = src[:-len(old_fqcn.replace('.', '/') + '.java')]
    dst = base + new_fqcn.replace('.', '/') + '.java'
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    subprocess.check_call(['git', 'mv', src, dst])
    siblings = classes_in(old_pkg, java_files()) - {simple}
    t = open(dst).read()
    t = re.sub(r'^package\s+' + re.escape(old_pkg) + r'\s*;', 'package ' + new_pkg + ';', t, count=1, flags=re.M)
    for s in sorted(siblings):
        if names(t, s):
            t = add_import(t, old_pkg + '.' + s)
    open(dst, 'w').write(t)
    pattern = re.compile(re.escape(old_fqcn) + r'(?![\w])')
    for f in java_files():
        t = open(f).read()
        u = pattern.sub(new_fqcn, t)
        if f.endswith('.java'):
            pkg = package_of(u)
            if pkg == old_pkg and f != dst and names(u, simple):
                u = add_import(u, new_fqcn)
            if pkg == new_pkg:
                u = re.sub(r'^import\s+' + re.escape(new_fqcn) + r'\s*;\n', '', u, flags=re.M)
        if u != t:
            open(f, 'w').write(u)

for arg in sys.argv[1:]:
    old, new = arg.split('=')
    move(old, new)
