import type { CompletionNode, Word } from './tree.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Single-quoted for every POSIX-like shell (and fish): nothing inside is expanded. */
const q = (text: string): string => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "'\\''")}'`;
const fishQ = (text: string): string => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const words = (list: Word[]): string => list.map((w) => w.word).join(' ');
const described = (list: Word[]): string =>
  list.map((w) => q(`${w.word.replaceAll(':', '\\:')}:${w.description}`)).join(' ');

/** `case` arms of a shell function answering for one command path. */
function arms(nodes: CompletionNode[], body: (n: CompletionNode) => string): string {
  return nodes.map((n) => `    ${q(n.path)}) ${body(n)} ;;`).join('\n');
}

function bash(name: string, nodes: CompletionNode[]): string {
  const values = [...new Set(nodes.flatMap((n) => n.valueOptions))].join('|');
  return `# ${name} completion for bash: source <(${name} completion bash)
__${name}_children() {
  case "$1" in
${arms(nodes, (n) => `echo ${q(words(n.commands))}`)}
  esac
}
__${name}_options() {
  case "$1" in
${arms(nodes, (n) => `echo ${q(words(n.options))}`)}
  esac
}
_${name}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmdpath="" w i
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ $w == -* ]] && continue
    if [[ " $(__${name}_children "$cmdpath") " == *" $w "* ]]; then cmdpath="\${cmdpath:+$cmdpath }$w"; fi
  done
  case "$prev" in
    ${values || '--'}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(__${name}_options "$cmdpath")" -- "$cur"))
  elif [[ -n $(__${name}_children "$cmdpath") ]]; then
    COMPREPLY=($(compgen -W "$(__${name}_children "$cmdpath")" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _${name} ${name}
`;
}

function zsh(name: string, nodes: CompletionNode[]): string {
  const values = [...new Set(nodes.flatMap((n) => n.valueOptions))].join('|');
  return `#compdef ${name}
# ${name} completion for zsh: source <(${name} completion zsh), or save as _${name} in $fpath
__${name}_children() {
  case "$1" in
${arms(nodes, (n) => `reply=(${described(n.commands)})`)}
  esac
}
__${name}_options() {
  case "$1" in
${arms(nodes, (n) => `reply=(${described(n.options)})`)}
  esac
}
_${name}() {
  local cmdpath="" w i
  local -a reply names
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    [[ $w == -* ]] && continue
    __${name}_children "$cmdpath"; names=(\${reply%%:*})
    if (( \${names[(Ie)$w]} )); then cmdpath="\${cmdpath:+$cmdpath }$w"; fi
  done
  case "\${words[CURRENT-1]}" in
    ${values || '--'}) _files; return ;;
  esac
  if [[ \${words[CURRENT]} == -* ]]; then
    __${name}_options "$cmdpath"; _describe -t options option reply
  else
    __${name}_children "$cmdpath"
    if (( \${#reply} )); then _describe -t commands command reply; else _files; fi
  fi
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _${name} "$@"; else compdef _${name} ${name}; fi
`;
}

function fish(name: string, nodes: CompletionNode[]): string {
  const fishArms = (body: (n: CompletionNode) => string) =>
    nodes.map((n) => `    case ${fishQ(n.path)}\n        ${body(n)}`).join('\n');
  const lines = (list: Word[]) =>
    list.length === 0
      ? 'true'
      : `printf '%s\\n' ${list.map((w) => fishQ(`${w.word}\t${w.description}`)).join(' ')}`;
  const values = [...new Set(nodes.flatMap((n) => n.valueOptions))].map(fishQ).join(' ');
  return `# ${name} completion for fish: ${name} completion fish | source
# (or save it as ~/.config/fish/completions/${name}.fish)
function __${name}_children
    switch $argv[1]
${fishArms((n) => lines(n.commands))}
    end
end
function __${name}_options
    switch $argv[1]
${fishArms((n) => lines(n.options))}
    end
end
function __${name}_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l cmdpath ''
    for w in $tokens[2..-1]
        string match -q -- '-*' $w; and continue
        if contains -- $w (__${name}_children $cmdpath | string replace -r '\\t.*' '')
            set cmdpath (string trim -- "$cmdpath $w")
        end
    end
    set -l children (__${name}_children $cmdpath)
    if contains -- "$tokens[-1]" ${values || "''"}
        __fish_complete_path $cur
    else if string match -q -- '-*' $cur
        __${name}_options $cmdpath
    else if test (count $children) -gt 0
        printf '%s\n' $children
    else
        __fish_complete_path $cur
    end
end
complete -c ${name} -f -a '(__${name}_complete)'
`;
}

export function completionScript(shell: Shell, name: string, nodes: CompletionNode[]): string {
  return shell === 'bash'
    ? bash(name, nodes)
    : shell === 'zsh'
      ? zsh(name, nodes)
      : fish(name, nodes);
}
