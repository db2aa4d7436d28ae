module emberbase

go 1.19
