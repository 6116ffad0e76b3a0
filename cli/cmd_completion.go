package cli

import (
	"github.com/spf13/cobra"
)

// completion: the shell completion scripts.

// completionLong is the description `retort completion --help` prints.
const completionLong = `Print a script that makes the shell complete retort's verbs, flags and
revision identifiers (heads, labels and ids, read from the versions
directory the command line, environment and configuration name).

Bash (needs the bash-completion package):
  retort completion bash > ~/.local/share/bash-completion/completions/retort
Zsh (compinit must be enabled):
  retort completion zsh > "${fpath[1]}/_retort"
Fish:
  retort completion fish > ~/.config/fish/completions/retort.fish
PowerShell:
  retort completion powershell | Out-String | Invoke-Expression

Exit status: 0; 1 for a shell retort has no script for.`

func (a *app) completionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script",
		Long:  completionLong,
		Example: `  source <(retort completion bash)     # this shell only
  retort completion zsh > "${fpath[1]}/_retort"`,
		ValidArgs:             []string{"bash", "zsh", "fish", "powershell"},
		Args:                  cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		DisableFlagsInUseLine: true,
		PersistentPreRunE:     noSettings,
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(a.stdout, true)
			case "zsh":
				return root.GenZshCompletion(a.stdout)
			case "fish":
				return root.GenFishCompletion(a.stdout, true)
			default:
				return root.GenPowerShellCompletionWithDesc(a.stdout)
			}
		},
	}
}
