compile trainers-in-ukraine --policy nato-flag --draw 3
