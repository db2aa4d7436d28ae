module embersnap

go 1.19
