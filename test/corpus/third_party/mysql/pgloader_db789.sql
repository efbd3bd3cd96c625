create table refrain (id char(1) primary key);
insert into refrain values ('a'), ('b'), ('c'), ('d');

create view proceed as select * from refrain where id > 'b';
