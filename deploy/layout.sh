# Where deploy/install.sh puts each kind of file for a prefix; sourced by install.sh and
# uninstall.sh so both agree. Sets the *dir variables from layout PREFIX.
layout() {
    local prefix=$1
    bindir=$prefix/bin
    libdir=$prefix/lib/jfind
    mandir=$prefix/share/man/man1
    docdir=$prefix/share/doc/jfind
    bashdir=$prefix/share/bash-completion/completions
    # directories on zsh's default $fpath: Debian's for packages under /usr, else zsh's own
    if [ "$prefix" = /usr ]; then
        zshdir=$prefix/share/zsh/vendor-completions
    else
        zshdir=$prefix/share/zsh/site-functions
    fi
    # systemd reads units and sysctl drop-ins below /usr and /usr/local only; elsewhere /etc
    case "$prefix" in
        /usr|/usr/local) unitdir=$prefix/lib/systemd/system; sysctldir=$prefix/lib/sysctl.d ;;
        *) unitdir=/etc/systemd/system; sysctldir=/etc/sysctl.d ;;
    esac
    confdir=/etc/jfind
    statedir=/var/lib/jfind
}
