package settings

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
)

// The user's own configuration, $XDG_CONFIG_HOME/retort/config.toml
// (~/.config/retort/config.toml): where a command retort runs for an action
// that migrates nothing comes from, besides the environment. A project's
// retort.toml is committed to a repository and read on every teammate's
// machine, so it may not name such a command (git's rule for repository
// configuration); running migrations runs the project's code by nature,
// which is not this case.

// userConfigFile is the file's name under the configuration directory.
const userConfigFile = "retort/config.toml"

// userConfig is what the user's configuration may set.
type userConfig struct {
	Editor *string `toml:"editor"`
}

// userConfigPath is where the user's configuration is, "" when neither
// XDG_CONFIG_HOME nor HOME says.
func userConfigPath(env func(string) (string, bool)) string {
	if dir, ok := env("XDG_CONFIG_HOME"); ok && filepath.IsAbs(dir) {
		return filepath.Join(dir, userConfigFile)
	}
	if home, ok := env("HOME"); ok && home != "" {
		return filepath.Join(home, ".config", userConfigFile)
	}
	return ""
}

// readUserConfig reads the user's configuration at path; a missing file is
// an empty one.
func readUserConfig(path string) (userConfig, error) {
	var uc userConfig
	if path == "" {
		return uc, nil
	}
	md, err := toml.DecodeFile(path, &uc)
	if errors.Is(err, os.ErrNotExist) {
		return uc, nil
	}
	if err != nil {
		return uc, tomlError(path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		key := undecoded[0].String()
		loc := path
		if line := keyLine(path, key); line > 0 {
			loc = fmt.Sprintf("%s:%d", path, line)
		}
		return uc, fmt.Errorf("%s: unknown key %q (the user's configuration knows editor)", loc, key)
	}
	return uc, nil
}

// editorFrom is the editor and where it comes from: the user's
// configuration, then $VISUAL, then $EDITOR, then vi, as git takes
// core.editor before them.
func editorFrom(uc userConfig, path string, env func(string) (string, bool)) (string, string) {
	if uc.Editor != nil && *uc.Editor != "" {
		return *uc.Editor, path
	}
	return editorFromEnv(env)
}

// ignoredEditor is the warning for an editor a project's file names.
func ignoredEditor(path string) string {
	return path + ": editor is ignored: a command retort runs comes from your own configuration (" +
		"$XDG_CONFIG_HOME/retort/config.toml, ~/.config/retort/config.toml) or $VISUAL and $EDITOR, " +
		"never from a project's file, which a repository shares with everyone who clones it"
}
