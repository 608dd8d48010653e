#error "the doctored header was used"
