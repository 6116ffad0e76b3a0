package main

// Temporary: pins the dependencies while the packages that use them are written.
import (
	_ "github.com/BurntSushi/toml"
	_ "github.com/Masterminds/squirrel"
	_ "github.com/charmbracelet/bubbles/help"
	_ "github.com/charmbracelet/bubbletea"
	_ "github.com/charmbracelet/lipgloss"
	_ "github.com/charmbracelet/x/exp/teatest"
	_ "github.com/jackc/pgx/v5"
	_ "github.com/muesli/termenv"
	_ "github.com/spf13/cobra"
	_ "gopkg.in/ini.v1"
	_ "modernc.org/sqlite"
)

func main() {}
