-- Uploaded files. The bytes live in object storage (a local directory by default,
-- S3-compatible storage by configuration) under keys made from the file id; these
-- rows say what each file is and who may read it.

create table files (
    id uuid primary key,
    owner_id uuid not null references users (id) on delete restrict,
    kind text not null,
    content_type text not null,
    -- The name it was uploaded under, checked for path tricks; never used as a key.
    original_name text not null,
    size_bytes bigint not null,
    sha256 bytea not null,
    width integer,
    height integer,
    access text not null default 'private',
    created_at timestamptz not null default now(),
    constraint files_kind_check check (kind in ('image', 'document', 'video')),
    constraint files_access_check check (access in ('public', 'private')),
    constraint files_size_check check (size_bytes > 0),
    constraint files_sha256_check check (length(sha256) = 32),
    constraint files_name_not_blank check (length(btrim(original_name)) > 0),
    constraint files_dimensions_check check ((kind = 'image') = (width is not null and height is not null)),
    constraint files_dimensions_positive check (width > 0 and height > 0)
);

create index files_owner_idx on files (owner_id, created_at desc);

-- The two thumbnails made of every image, in WebP.
create table file_thumbnails (
    file_id uuid not null references files (id) on delete cascade,
    size text not null,
    width integer not null,
    height integer not null,
    size_bytes bigint not null,
    primary key (file_id, size),
    constraint file_thumbnails_size_check check (size in ('small', 'large'))
);

-- Chunked uploads under way. Chunks are kept in storage as separate objects until
-- the upload completes; abandoned uploads expire and are swept with their chunks.
create table file_uploads (
    id uuid primary key,
    owner_id uuid not null references users (id) on delete cascade,
    original_name text not null,
    size_bytes bigint not null,
    chunk_size integer not null,
    access text not null,
    received integer[] not null default '{}',
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    constraint file_uploads_size_check check (size_bytes > 0),
    constraint file_uploads_chunk_size_check check (chunk_size > 0),
    constraint file_uploads_access_check check (access in ('public', 'private'))
);

create index file_uploads_expires_idx on file_uploads (expires_at);
