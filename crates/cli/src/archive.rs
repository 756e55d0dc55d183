//! `langnghe archive show URL`: the archived copy of a page, as evidence.

use std::io::Write;
use std::process::ExitCode;

use crate::DataArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Show the newest archived response for a URL (tracking parameters, AMP and mobile hosts
    /// are ignored when matching).
    Show {
        #[command(flatten)]
        data: DataArgs,
        /// Print only the body, as archived (raw bytes), e.g. to re-extract it.
        #[arg(long)]
        body: bool,
        /// The page URL.
        url: String,
    },
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let Command::Show { data, body, url } = &args.command;
    let dir = data.data.join("archive");
    match langnghe_crawl::find_response(&dir, url)? {
        None => {
            eprintln!("langnghe: {url} is not in the archive at {}", dir.display());
            Ok(ExitCode::FAILURE)
        }
        Some(r) if *body => {
            std::io::stdout().write_all(&r.body)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(r) => {
            println!("url:       {}", r.url);
            println!("fetched:   {}", r.date);
            println!("record:    {} in {}", r.record_id, r.file.display());
            println!("status:    {}", r.status);
            for (k, v) in &r.headers {
                println!("{k}: {v}");
            }
            let content_type = r
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.as_str());
            println!();
            println!(
                "{}",
                langnghe_crawl::decode_page(&r.body, content_type).text
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
