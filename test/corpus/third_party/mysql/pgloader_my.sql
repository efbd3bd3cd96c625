create table `empty`(id integer auto_increment primary key);

CREATE TABLE `races` (
  `raceId` int(11) NOT NULL AUTO_INCREMENT,
  `year` int(11) NOT NULL DEFAULT 0,
  `round` int(11) NOT NULL DEFAULT 0,
  `circuitId` int(11) NOT NULL DEFAULT 0,
  `name` varchar(255) NOT NULL DEFAULT '',
  `date` date NOT NULL DEFAULT '0000-00-00',
  `time` time DEFAULT NULL,
  `url` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`raceId`),
  UNIQUE KEY `url` (`url`)
) ENGINE=MyISAM AUTO_INCREMENT=989 DEFAULT CHARSET=utf8;

CREATE TABLE `utilisateurs__Yvelines2013-06-28` (
  `statut` enum('administrateur','odis','pilote','bureau','relais','stagiaire','membre','participant','contact') COLLATE utf8_unicode_ci NOT NULL,
  `anciennete` year(4) DEFAULT NULL,
  `sexe` enum('H','F') COLLATE utf8_unicode_ci DEFAULT NULL,
  `categorie` enum('Exploitant agricole','Artisan, commerçant, chef d''entreprise','Cadre, profession intellectuelle supérieure','Profession intermédiaire','Employé','Ouvrier','Retraité','Étudiant','Sans activité professionnelle') COLLATE utf8_unicode_ci DEFAULT NULL,
  `secteur` enum('Secteur privé - Industrie','Secteur privé - Services','Secteur privé - Agriculture','Fonction publique d''Etat','Fonction publique hospitalière','Fonction publique territoriale','Secteur associatif et social') COLLATE utf8_unicode_ci DEFAULT NULL,
  `nombre` enum('0','1','2','3 ?? 5','6 ?? 9','10 ?? 19','20 ?? 49','50 ?? 99','100 ?? 199','200 ?? 499','500 ?? 999','1 000 ?? 4 999','5 000 ?? 9 999','10 000 et plus') COLLATE utf8_unicode_ci DEFAULT NULL
) ENGINE=MyISAM DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci;

create table `geom`
 (
   id integer auto_increment primary key,
   p  point,
   l  linestring
 );

insert into `geom`(`p`, `l`)
     values (ST_GeomFromText('POINT(1 1)'),
             ST_GeomFromText('LINESTRING(-87.87342467651445 45.79684462673078,-87.87170806274479 45.802110434248966,-87.84492888794016 45.79732335706963,-87.84046569213925 45.79349339919981,-87.83703246459994 45.795887153715135,-87.82261290893646 45.7954084110377,-87.82261290893646 45.781523084289475,-87.82879271850615 45.7796075953549,-87.84115233764729 45.779128712838755,-87.85110869751074 45.78008647375808,-87.83737578735439 45.782001946240946,-87.84527221069374 45.78343850741725)'));

/*
 * https://github.com/dimitri/pgloader/issues/650
 */
CREATE TABLE propertydecimal (
  ID decimal(18,0) NOT NULL,
  propertyvalue decimal(18,6) DEFAULT NULL,
  PRIMARY KEY (ID)
);

create table `base64`
 (
   id   varchar(255),
   data longtext
 )
 comment "Test decoding base64 documents";

insert into `base64`(id, data)
     values('65de699d-b5cc-4e13-b507-c71adea31e53',
            'eyJrZXkiOiAidmFsdWUifQ==');

CREATE TABLE `onupdate` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `patient_id` varchar(50) NOT NULL,
  `calc_date` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  `update_date` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `patient_id` (`patient_id`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8;

/* https://github.com/dimitri/pgloader/issues/661 */
CREATE TABLE funny_string AS select char(41856 using 'gbk') AS s;

/* https://github.com/dimitri/pgloader/issues/664 */

/*
CREATE TABLE `table_name` (
  `field1` double NOT NULL AUTO_INCREMENT,
  `field2` varchar(50) DEFAULT NULL,
  `field3` int(11) DEFAULT NULL,
  `field4` tinyint(3) DEFAULT NULL,
  PRIMARY KEY (`field1`),
  KEY `idx_field3` (`field3`) USING BTREE
) ENGINE=InnoDB DEFAULT CHARSET=latin1 ROW_FORMAT=COMPACT;
*/

/*
 * https://github.com/dimitri/pgloader/issues/678
 */
CREATE TABLE pgloader_test_unsigned
(
  id SMALLINT UNSIGNED,
  sm smallint,
  tu TINYINT UNSIGNED
);
INSERT INTO pgloader_test_unsigned(id) VALUES (65535);

/*
 * https://github.com/dimitri/pgloader/issues/684
 */
create table bits
 (
  id   integer not null AUTO_INCREMENT primary key,
  bool bit(1)
 );

insert into bits(bool) values(0b00), (0b01);

/*
 * https://github.com/dimitri/pgloader/issues/703
 */
create table `CamelCase` (
 `validSizes` varchar(12)
);

CREATE TABLE `fcm_batches` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `raw_payload` mediumtext COLLATE utf8_unicode_ci,
  `success` int(10) unsigned NOT NULL DEFAULT '0',
  `failed` int(10) unsigned NOT NULL DEFAULT '0',
  `modified` int(10) unsigned NOT NULL DEFAULT '0',
  `created_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  KEY `fcm_batches_created_at_index` (`created_at`),
  FULLTEXT KEY `search` (`raw_payload`)
) ENGINE=InnoDB AUTO_INCREMENT=2501855 DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci;


-- corpus cut: the original payload is 26 KB of lorem ipsum in 24 paragraphs;
-- only its first paragraph and the last one are kept (see test/corpus/README.md).
insert into `fcm_batches`(`raw_payload`, `created_at`)
values('Lorem ipsum dolor sit amet, consectetur adipiscing elit. Pellentesque vulputate nisl sapien, vel posuere ex pulvinar ut. Etiam et enim magna. In dignissim venenatis vulputate. Morbi volutpat purus lectus. Sed tristique ligula ultricies, interdum est eu, condimentum velit. Interdum et malesuada fames ac ante ipsum primis in faucibus. Pellentesque laoreet tempus euismod. In sit amet suscipit nulla. Praesent tempor in libero in molestie. Nulla hendrerit hendrerit scelerisque. Mauris congue lacus ut metus faucibus, sit amet rutrum enim consequat. Curabitur pulvinar vehicula nulla. Aenean condimentum ligula id dolor volutpat, vel porta diam tincidunt. Cras porttitor neque ante. Aenean tellus nisi, finibus ut scelerisque tincidunt, blandit sit amet erat.

Duis euismod quis est in dictum. Sed lacinia posuere nisi, in bibendum eros semper sed. Praesent luctus mattis leo a porttitor. Aenean molestie id lectus lacinia tincidunt. Proin egestas non est sit amet aliquam. Sed blandit libero at lacinia aliquam. Aenean sollicitudin metus vel ullamcorper fermentum. Integer vestibulum eget tellus vel interdum. Phasellus viverra elit quis semper aliquet. Integer efficitur augue neque, vel vehicula quam egestas nec. Sed dui lectus, porttitor quis consequat vel, feugiat non justo. Morbi eget scelerisque lacus.', now());
