module embergen

go 1.19
