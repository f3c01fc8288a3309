where "$(printf 'Kyi\033]0;X\007v')"
