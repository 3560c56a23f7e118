/**
 * Words and code lists for the synthetic IMDb files. Kept apart from the generator so the
 * shapes of the data can be tuned without touching the streaming code.
 *
 * No entry may contain a tab or a newline: the files are unquoted TSV, as IMDb's are.
 * Accents, non-Latin scripts and the odd `"` are deliberate; they are what breaks a naive parser.
 */

/** IMDb's genre list, alphabetical: titles list their genres in this order, as in the dump. */
export const GENRES = [
  'Action', 'Adult', 'Adventure', 'Animation', 'Biography', 'Comedy', 'Crime', 'Documentary',
  'Drama', 'Family', 'Fantasy', 'Film-Noir', 'Game-Show', 'History', 'Horror', 'Music', 'Musical',
  'Mystery', 'News', 'Reality-TV', 'Romance', 'Sci-Fi', 'Short', 'Sport', 'Talk-Show', 'Thriller',
  'War', 'Western',
] as const;

export type Genre = (typeof GENRES)[number];

export function genreIndex(name: Genre): number {
  return GENRES.indexOf(name);
}

/** Genres whose cast appears as themselves (category `self`), not as characters. */
export const SELF_GENRES: readonly Genre[] = ['Documentary', 'Game-Show', 'News', 'Reality-TV', 'Talk-Show'];

export const EN_ADJECTIVES = [
  'Last', 'Dark', 'Silent', 'Lost', 'Broken', 'Golden', 'Hidden', 'Wild', 'Secret', 'Cold', 'Burning',
  'Little', 'Great', 'Long', 'Crimson', 'Midnight', 'Final', 'Forgotten', 'Sweet', 'Endless', 'Blue',
  'Red', 'Strange', 'Quiet', 'Fallen', 'Perfect', 'Eternal', 'Dangerous', 'Lucky', 'Empty', 'Bright',
];

export const EN_NOUNS = [
  'Night', 'River', 'Road', 'House', 'Summer', 'Winter', 'City', 'Heart', 'Game', 'Dream', 'Man',
  'Woman', 'Girl', 'Boy', 'Sky', 'Sea', 'Train', 'Storm', 'Island', 'Garden', 'Kingdom', 'Shadow',
  'Fire', 'Promise', 'Letter', 'Mountain', 'Wolf', 'Stranger', 'Family', 'Mirror', 'Voice', 'Horizon',
  'Detective', 'Hotel', 'Station', 'Machine', 'Witness', 'Border', 'Valley', 'Crown', 'Diary', 'Circus',
];

export const FR_PHRASES = [
  'Le Fabuleux Destin', 'La Grande Vadrouille', 'Les Enfants du Paradis', 'Jeux interdits',
  'La Règle du jeu', 'Le Salaire de la peur', 'Les Quatre Cents Coups', 'À bout de souffle',
  'La Haine', 'Les Parapluies de Cherbourg', 'Le Dîner de cons', 'Les Visiteurs', 'La Cité des enfants perdus',
  'Être et avoir', 'Le Goût des autres', 'Les Choristes', 'Bienvenue chez les Ch\'tis', 'Intouchables',
  'Le Château de ma mère', 'La Gloire de mon père', 'Jean de Florette', 'Manon des sources',
  'Un long dimanche de fiançailles', 'La Môme', 'Le Bossu', 'Été 85', 'Mémoires d\'une forêt',
];

export const FR_NOUNS = [
  'Amélie', 'Été', 'Mémoire', 'Rêve', 'Forêt', 'Château', 'Âme', 'Cœur', 'Soirée', 'Éléphant',
  'Garçon', 'Fiancée', 'Rivière', 'Nuit', 'Île', 'Frère', 'Sœur', 'Fête', 'Bête', 'Lumière', 'Vérité',
  'Histoire', 'Mère', 'Père', 'Hôtel', 'Creuse', 'Guéret', 'Limousin', 'Déjà-vu', 'Aubusson', 'Café',
];

export const FR_ADJECTIVES = [
  'fabuleux', 'dernière', 'belle', 'étrange', 'secrète', 'perdue', 'éternel', 'fragile', 'première',
  'rêveuse', 'oubliée', 'inquiète', 'délicieuse', 'brûlée', 'égarée',
];

export const DE_WORDS = [
  'Über', 'Mädchen', 'Straße', 'Nacht', 'Brücke', 'Spiel', 'Fräulein', 'Grüße', 'Märchen', 'Schön',
  'Tür', 'König', 'Blüte', 'Müller', 'Wald', 'Größe', 'Übermorgen',
];

export const ES_WORDS = [
  'Niño', 'Corazón', 'Mañana', 'Canción', 'Señora', 'Camino', 'Noche', 'Pequeño', 'Sueño', 'Pasión',
  'Año', 'Río', 'Montaña', 'Ilusión', 'Ciudad',
];

export const IT_WORDS = ['Città', 'Perché', 'Così', 'Notte', 'Amore', 'Più', 'Già', 'Vita', 'Strada', 'Caffè'];

export const JA_WORDS = ['東京', '夜', '物語', '桜', '侍', '海', '夢', '風', '千と千尋', '家族', '雨', '月'];

export const RU_WORDS = ['Ночь', 'Москва', 'Любовь', 'Война', 'Дорога', 'Зима', 'Город', 'Сердце', 'Брат'];

export const EL_WORDS = ['Νύχτα', 'Θάλασσα', 'Αγάπη', 'Δρόμος', 'Ήλιος', 'Καρμενσίτα'];

export const KO_WORDS = ['서울', '사랑', '밤', '바다', '가족', '기생충'];

export const HI_WORDS = ['प्यार', 'दिल', 'रात', 'सपना', 'दुनिया'];

/** Titles that carry a literal double quote, as a handful of real IMDb titles do. */
export const QUOTED_TITLES = [
  '"Weird" Science Stories',
  'The "Perfect" Crime',
  'Operation "Y" and Other Adventures',
  '"Amélie" Revisited',
  'Le "Fabuleux" Destin',
  'So-Called "Friends"',
  '"Allo "Allo!',
  '12" Single',
];

export const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December',
];

export const FIRST_NAMES_FEMALE = [
  'Amélie', 'Hélène', 'Béatrice', 'Élodie', 'Cécile', 'Chloé', 'Zoé', 'Maëlle', 'Anaïs', 'Noémie',
  'Sophie', 'Camille', 'Isabelle', 'Catherine', 'Juliette', 'Marion', 'Audrey', 'Emma', 'Olivia',
  'Sarah', 'Mary', 'Jennifer', 'Linda', 'Patricia', 'Elizabeth', 'Susan', 'Jessica', 'Karen',
  'Anna', 'Maria', 'Sofía', 'Lucía', 'Inés', 'Ängla', 'Åsa', 'Małgorzata', 'Zsófia',
  'Yuki', 'Aiko', 'Priya', 'Ananya', 'Chiara', 'Giulia', 'Ingrid', 'Björk', 'Siobhán', 'Nadia',
  'Fatima', 'Leïla', 'Mireille', 'Geneviève', 'Françoise', 'Jeanne', 'Brigitte', 'Simone',
];

export const FIRST_NAMES_MALE = [
  'François', 'Jérôme', 'Stéphane', 'Gérard', 'André', 'Benoît', 'Clément', 'Étienne', 'Hervé',
  'Jean', 'Pierre', 'Louis', 'Michel', 'Alain', 'Jacques', 'Philippe', 'Luc', 'Omar', 'Vincent',
  'James', 'John', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Thomas', 'Charles',
  'José', 'Jesús', 'Ángel', 'Søren', 'Łukasz', 'Jürgen', 'Björn', 'Sándor', 'Dmitriy', 'Hiroshi',
  'Takeshi', 'Raj', 'Arjun', 'Marco', 'Giuseppe', 'Lars', 'Seán', 'Mehmet', 'Karim', 'Youssef',
  'Ingmar', 'Fred', 'Gaël', 'Noël', 'Raphaël', 'Loïc',
];

export const LAST_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
  'Simon', 'Laurent', 'Lefèvre', 'Michel', 'García', 'Fournier', 'Girard', 'Bonnet', 'Dupont',
  'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Müller', 'Schmidt', 'Schäfer', 'Smith', 'Johnson',
  'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Rodríguez',
  'Martínez', 'Hernández', 'López', 'González', 'Pérez', 'Sánchez', 'Núñez', 'Rossi', 'Russo',
  'Ferrari', 'Esposito', 'Bianchi', 'Nowak', 'Kowalski', 'Wiśniewski', 'Nagy', 'Kovács', 'Sørensen',
  'Jørgensen', 'Åberg', 'Öberg', 'Ivanov', 'Petrov', 'Tanaka', 'Suzuki', 'Satō', 'Kim', 'Lee',
  'Park', 'Sharma', 'Patel', 'Kapoor', 'Khan', 'O\'Brien', 'O\'Connor', 'MacDonald', 'Poulain',
  'Gaumont', 'Pathé', 'Renoir', 'Truffaut', 'Deneuve', 'Belmondo', 'Cotillard', 'Depardieu',
];

export const NICKNAMES = ['The Rock', 'Babe', 'Tiny', 'Doc', 'Lulu', 'Kiki', 'Bébert', 'Coco'];

export const CHARACTER_ROLES = [
  'Narrator', 'Policeman', 'Nurse', 'Doctor', 'Waiter', 'Young Amélie', 'Inspector Moreau', 'Le Maire',
  'The Stranger', 'Mother', 'Father', 'Bartender', 'Soldier', 'Reporter', 'Concierge', 'La Comtesse',
  'Dr. Hélène Petit', 'Sheriff', 'Madame Lefèvre', 'Monsieur Hulot', 'Taxi Driver', 'Teacher',
];

export const SELF_CHARACTERS = [
  '["Self"]', '["Self"]', '["Self"]', '["Self"]', '["Self - Host"]', '["Self - Guest"]',
  '["Self - Contestant"]', '["Self - Narrator"]', '["Self - Presenter"]',
];

export const WRITER_JOBS = [
  '\\N', '\\N', '\\N', 'screenplay', 'story', 'novel', 'written by', 'scenario', 'play', 'creator',
  'teleplay', 'screenplay by', 'based on the novel by', 'adaptation', 'characters', 'dialogue',
];

export const PRODUCER_JOBS = ['producer', 'producer', 'producer', 'executive producer', 'co-producer', 'line producer'];

/** Region codes for alternative titles, weighted roughly like the current dump. FR is a few percent. */
export const AKA_REGIONS: readonly (readonly [string, number])[] = [
  ['US', 16], ['IN', 7], ['GB', 6], ['CA', 5], ['DE', 5], ['FR', 3.5], ['JP', 3.5], ['ES', 3.5],
  ['IT', 3], ['PL', 3], ['NL', 2.5], ['XWW', 2.5], ['BR', 3], ['MX', 2], ['TR', 2.5], ['SE', 2],
  ['KR', 2], ['AU', 2], ['RU', 2], ['PH', 2], ['SG', 2], ['ID', 2], ['ZA', 2], ['AE', 2], ['PT', 1.5],
  ['AR', 1.5], ['GR', 1.2], ['HU', 1.2], ['DK', 1.2], ['FI', 1.2], ['NO', 1], ['TW', 1], ['HK', 1],
  ['IL', 1], ['EG', 1], ['BE', 1], ['CH', 1], ['AT', 0.8], ['UA', 1], ['RO', 0.8], ['BG', 0.6],
  ['CZ', 0.8], ['RS', 0.5], ['HR', 0.5], ['XEU', 0.3], ['SUHH', 0.3], ['XYU', 0.2], ['CSHH', 0.2],
];

/** Language sometimes stated on an alternative title, by region; `fr` shows up on FR, CA, BE, CH. */
export const REGION_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  FR: ['fr'], CA: ['fr', 'en'], BE: ['fr', 'nl'], CH: ['fr', 'de'], JP: ['ja'], IN: ['hi', 'en', 'ta', 'te'],
  ES: ['es', 'ca'], RU: ['ru'], UA: ['uk'], GR: ['el'], TR: ['tr'], KR: ['ko'], IL: ['he'], EG: ['ar'],
  AE: ['ar', 'en'], HK: ['yue', 'cmn'], TW: ['cmn'], XWW: ['en'], SE: ['sv'], RS: ['sr'], BG: ['bg'],
};

export const AKA_TYPES: readonly (readonly [string, number])[] = [
  ['imdbDisplay', 60], ['\\N', 26], ['alternative', 5], ['working', 3], ['dvd', 1.5], ['festival', 1.2],
  ['tv', 1.5], ['video', 1],
];

export const AKA_ATTRIBUTES = [
  'literal title', 'reissue title', 'alternative spelling', 'transliterated title', 'informal title',
  'review title', 'complete title', 'short title', 'new title', 'series title', 'literal English title',
  'informal literal title', 'copyright title', 'original subtitled version', 'dubbed version',
  'pre-release title', 'promotional title', 'working title', 'cable TV title', '3-D version',
];

/** Professions on name.basics, grouped by the kind of work a person mostly does. */
export const PROFESSIONS = {
  performerExtra: ['self', 'soundtrack', 'producer', 'writer', 'director', 'music_department', 'stunts', 'archive_footage', 'miscellaneous'],
  director: ['director', 'writer', 'producer', 'assistant_director', 'editor', 'actor'],
  writer: ['writer', 'producer', 'director', 'script_department', 'actor', 'miscellaneous'],
  producer: ['producer', 'executive', 'production_manager', 'writer', 'miscellaneous', 'talent_agent'],
  composer: ['composer', 'music_department', 'soundtrack', 'sound_department', 'music_artist'],
  technician: [
    'cinematographer', 'editor', 'camera_department', 'editorial_department', 'sound_department',
    'art_department', 'make_up_department', 'visual_effects', 'animation_department', 'costume_department',
    'production_designer', 'art_director', 'set_decorator', 'costume_designer', 'special_effects',
    'casting_director', 'casting_department', 'location_management', 'transportation_department',
    'electrical_department', 'choreographer', 'publicist', 'legal', 'manager', 'podcaster',
  ],
} as const;
